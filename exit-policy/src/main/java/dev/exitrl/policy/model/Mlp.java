package dev.exitrl.policy.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * SwiGLU feed-forward: {@code down(silu(gate(x)) * up(x))}. Gate and up projections are fused into one
 * (2F, D) weight so the decode step issues one matmul for both; checkpoints still store {@code gate_proj}
 * and {@code up_proj} separately (see {@link CausalLm#loadHf}).
 *
 * <p>Dimensions: B batch, S positions, D hidden size, F intermediate size.
 */
final class Mlp extends AbstractBlock {

    private final int intermediate;
    private final Parameter gateUp; // (2F, D): rows [0, F) gate, [F, 2F) up
    private final Parameter down; // (D, F)

    Mlp(ModelConfig config) {
        this.intermediate = config.intermediateSize();
        this.gateUp = addParameter(Parameter.builder()
                .setName("gate_up_proj")
                .setType(Parameter.Type.WEIGHT)
                .build());
        this.down = addParameter(Parameter.builder()
                .setName("down_proj")
                .setType(Parameter.Type.WEIGHT)
                .build());
    }

    Parameter gateUp() {
        return gateUp;
    }

    Parameter down() {
        return down;
    }

    NDArray apply(NDArray x) { // x: (B, S, D)
        NDArray gu = Linear.linear(x, gateUp.getArray()).head(); // (B, S, 2F)
        NDList parts = gu.split(new long[] {intermediate}, 2); // 2 x (B, S, F)
        NDArray gate = parts.get(0);
        NDArray hidden = gate.mul(gate.getNDArrayInternal().sigmoid()).mul(parts.get(1)); // (B, S, F)
        return Linear.linear(hidden, down.getArray()).head(); // (B, S, D)
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(inputs.singletonOrThrow()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
