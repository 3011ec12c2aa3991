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
 * Causal grouped-query self-attention with rotary embeddings, as in Llama / Qwen2.
 *
 * <p>q, k and v come from one fused (H + 2 Hkv) * Dh projection (Qwen2 adds a bias to it). Instead of repeating
 * keys and values for each query head, the G = H / Hkv query heads that share a key/value head are folded into
 * the query axis, so one batched matmul serves the whole group without copying the cache.
 *
 * <p>Dimensions: B batch, S new positions, T key positions (cache prefix + S), D hidden size, H query heads,
 * Hkv key/value heads, G = H / Hkv, Dh head width.
 */
final class Attention extends AbstractBlock {

    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final Parameter qkv; // (qkvRows, D)
    private final Parameter qkvBias; // (qkvRows) or null
    private final Parameter out; // (D, H * Dh)

    Attention(ModelConfig config) {
        this.heads = config.numHeads();
        this.kvHeads = config.numKvHeads();
        this.headDim = config.headDim();
        this.qkv = addParameter(Parameter.builder()
                .setName("qkv_proj")
                .setType(Parameter.Type.WEIGHT)
                .build());
        this.qkvBias = config.attentionBias()
                ? addParameter(Parameter.builder()
                        .setName("qkv_bias")
                        .setType(Parameter.Type.BIAS)
                        .build())
                : null;
        this.out = addParameter(Parameter.builder()
                .setName("o_proj")
                .setType(Parameter.Type.WEIGHT)
                .build());
    }

    Parameter qkv() {
        return qkv;
    }

    Parameter qkvBias() {
        return qkvBias;
    }

    Parameter out() {
        return out;
    }

    NDArray apply(NDArray x, Rope rope, ForwardState state, int layer) { // x: (B, S, D)
        long b = x.getShape().get(0);
        long s = x.getShape().get(1);
        int groups = heads / kvHeads;
        NDArray fused = (qkvBias == null
                        ? Linear.linear(x, qkv.getArray())
                        : Linear.linear(x, qkv.getArray(), qkvBias.getArray()))
                .head(); // (B, S, (H + 2Hkv) * Dh)
        NDList qkAndV = fused.reshape(b, s, heads + 2L * kvHeads, headDim)
                .split(new long[] {heads + kvHeads}, 2); // (B, S, H + Hkv, Dh), (B, S, Hkv, Dh)
        NDArray qk = qkAndV.get(0);
        NDArray rotated = qk.mul(state.cos()).add(qk.matMul(rope.rotation()).mul(state.sin())); // (B, S, H + Hkv, Dh)
        NDList qAndK = rotated.split(new long[] {heads}, 2);
        // A decode step (S = 1) needs no transposes of q or of the context: with one position, (B, 1, H, Dh) and
        // (B, Hkv, G, Dh) hold the same elements in the same order, so a reshape (a view) does it.
        NDArray grouped = s == 1
                ? qAndK.get(0).reshape(b, kvHeads, groups, headDim) // (B, Hkv, G, Dh)
                : qAndK.get(0).transpose(0, 2, 1, 3).reshape(b, kvHeads, groups * s, headDim); // (B, Hkv, G * S, Dh)
        // Keys go straight to the (B, Hkv, Dh, S) layout q.k needs, which is also the cache's layout: the cached
        // arrays then enter matMul as its second operand and no op ever runs on (and lands in) the cache's manager.
        NDArray kT = qAndK.get(1).transpose(0, 2, 3, 1); // (B, Hkv, Dh, S)
        NDArray v = qkAndV.get(1).transpose(0, 2, 1, 3); // (B, Hkv, S, Dh)
        if (state.cache() != null) {
            // The mask's last axis says how many cache slots this call attends to: the written prefix at prefill,
            // the whole preallocated cache at a decode step (fixed shapes, see KvCache).
            int visible =
                    (int) state.mask().getShape().get(state.mask().getShape().dimension() - 1);
            NDArray[] kv = state.cache().append(layer, state.cacheStart(), kT, v, visible);
            kT = kv[0]; // (B, Hkv, Dh, T)
            v = kv[1]; // (B, Hkv, T, Dh)
        }
        long t = v.getShape().get(2);
        NDArray scores = grouped.matMul(kT).mul(state.constants().scale()); // (B, Hkv, G * S, T)
        NDArray probs; // (B, Hkv, G * S, T)
        if (state.mask().getShape().dimension() == 4) {
            // (B, 1, 1, T) decode mask: broadcasts over the G * S = G query rows as they are.
            probs = scores.add(state.mask()).softmax(3);
        } else {
            probs = scores.reshape(b, kvHeads, groups, s, t)
                    .add(state.mask()) // (B, Hkv, G, S, T)
                    .softmax(4)
                    .reshape(b, kvHeads, groups * s, t);
        }
        NDArray context = probs.matMul(v); // (B, Hkv, G * S, Dh)
        context = s == 1
                ? context.reshape(b, 1, (long) heads * headDim) // (B, 1, H * Dh)
                : context.reshape(b, heads, s, headDim)
                        .transpose(0, 2, 1, 3)
                        .reshape(b, s, (long) heads * headDim); // (B, S, H * Dh)
        return Linear.linear(context, out.getArray()).head(); // (B, S, D)
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException("Attention runs inside CausalLm.forward");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
