package dev.exitrl.policy.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One pre-norm decoder layer: {@code h = x + attn(norm1(x)); y = h + mlp(norm2(h))}.
 *
 * <p>Dimensions: B batch, S positions, D hidden size.
 */
final class DecoderLayer extends AbstractBlock {

    private final RmsNorm inputNorm;
    private final Attention attention;
    private final RmsNorm postAttentionNorm;
    private final Mlp mlp;
    private final int index;

    DecoderLayer(ModelConfig config, int index) {
        this.index = index;
        this.inputNorm = addChildBlock("input_layernorm", new RmsNorm(config.hiddenSize(), config.rmsNormEps()));
        this.attention = addChildBlock("self_attn", new Attention(config));
        this.postAttentionNorm =
                addChildBlock("post_attention_layernorm", new RmsNorm(config.hiddenSize(), config.rmsNormEps()));
        this.mlp = addChildBlock("mlp", new Mlp(config));
    }

    RmsNorm inputNorm() {
        return inputNorm;
    }

    Attention attention() {
        return attention;
    }

    RmsNorm postAttentionNorm() {
        return postAttentionNorm;
    }

    Mlp mlp() {
        return mlp;
    }

    NDArray apply(NDArray x, Rope rope, ForwardState state) { // x: (B, S, D)
        NDArray eps = state.constants().eps();
        NDArray h = x.add(attention.apply(inputNorm.apply(x, eps), rope, state, index)); // (B, S, D)
        return h.add(mlp.apply(postAttentionNorm.apply(h, eps))); // (B, S, D)
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException("DecoderLayer runs inside CausalLm.forward");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
