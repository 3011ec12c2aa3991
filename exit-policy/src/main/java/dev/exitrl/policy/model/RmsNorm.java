package dev.exitrl.policy.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Root-mean-square layer norm (Zhang and Sennrich 2019) as Llama and Qwen2 use it:
 * {@code y = w * x / sqrt(mean(x^2) + eps)}, no centring and no bias.
 *
 * <p>Dimensions: B batch, S positions, D hidden size.
 */
final class RmsNorm extends AbstractBlock {

    private final Parameter weight;
    private final float eps;
    private final int axis;

    RmsNorm(int hiddenSize, double eps) {
        this.eps = (float) eps;
        this.axis = 2; // (B, S, D): DJL wants positive axes
        this.weight = addParameter(Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.WEIGHT)
                .build());
    }

    Parameter weight() {
        return weight;
    }

    /** Normalises the last axis of {@code x}. The result is attached to x's manager, never the model's. */
    NDArray apply(NDArray x, NDArray epsConstant) { // x: (B, S, D); epsConstant: ()
        NDArray meanSquare = x.square().mean(new int[] {axis}, true); // (B, S, 1)
        NDArray rms = meanSquare.add(epsConstant).sqrt(); // (B, S, 1)
        // Out-of-place ops only: the same code runs under autograd, where in-place writes break backward.
        return x.div(rms).mul(weight.getArray()); // (B, S, D)
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        try (NDArray eps1 = x.getManager().create(eps).toType(x.getDataType(), false)) {
            return new NDList(apply(x, eps1));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
