package dev.exitrl.policy.cli;

import ai.djl.ndarray.types.DataType;
import dev.exitrl.policy.model.ModelConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The memory one generation call should need, written down from the tensors the code creates, so that a benchmark
 * can print it next to what was used and a ratio far above 1 points at something holding extra memory.
 *
 * <p>Dimensions: B batch, P prompt length, N new tokens, T = P + N cache capacity, L layers, D hidden, F
 * intermediate, H query heads, Hkv key/value heads, Dh head width, V vocabulary, e bytes per element of the
 * model's dtype.
 * <ul>
 *   <li>weights: parameters x e, plus the rotary cos/sin tables (2 x positions x Dh x e);
 *   <li>KV cache: 2 x L x B x Hkv x T x Dh x e;
 *   <li>activations of the largest step, the prefill: the inputs that live through the whole forward pass
 *       (embeddings D, layer output D, cos/sin 2 Dh and mask P per token) plus one layer's temporaries, because
 *       each layer's scope is freed when it returns: per token 9 D (two RMSNorms, residuals) + (H + 2 Hkv) Dh
 *       (fused projection) + 4 (H + Hkv) Dh (rotary) + 3 H Dh (query copy, context and its layout) + 5 F (SwiGLU),
 *       and 4 H P for attention (scores, scaled, masked, softmax), all x e;
 *   <li>sampling: 8 arrays of (B, V) FP32 per step (logits, scaled, softmax, cumulative sum, comparison, its INT64
 *       count and two more for top-k/top-p).
 * </ul>
 * Not counted: the allocator's cached blocks, the JVM, libtorch itself.
 */
record SamplingBudget(long weights, long kvCache, long activations, long sampling) {

    static SamplingBudget of(ModelConfig c, long parameters, DataType dtype, int batch, int promptLen, int newTokens) {
        long e = dtype.getNumOfBytes();
        long d = c.hiddenSize();
        long dh = c.headDim();
        long h = c.numHeads();
        long hkv = c.numKvHeads();
        long f = c.intermediateSize();
        long capacity = (long) promptLen + newTokens;
        long weights = parameters * e + 2L * c.maxPositionEmbeddings() * dh * e;
        long kv = 2L * c.numLayers() * batch * hkv * capacity * dh * e;
        long tokens = (long) batch * promptLen;
        long outside = tokens * (2 * d + 2 * dh + promptLen);
        long layer =
                tokens * (9 * d + (h + 2 * hkv) * dh + 4 * (h + hkv) * dh + 3 * h * dh + 5 * f + 4 * h * promptLen);
        long sampling = 8L * batch * c.vocabSize() * 4;
        return new SamplingBudget(weights, kv, (outside + layer) * e, sampling);
    }

    long total() {
        return weights + kvCache + activations + sampling;
    }

    /** The parts in MB, in the order of the class comment. */
    Map<String, Double> partsMb() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("weights", mb(weights));
        out.put("kv_cache", mb(kvCache));
        out.put("activations", mb(activations));
        out.put("sampling", mb(sampling));
        return out;
    }

    static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
