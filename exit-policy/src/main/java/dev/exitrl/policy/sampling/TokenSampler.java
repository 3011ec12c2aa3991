package dev.exitrl.policy.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Picks the next token of every row on the device: temperature, top-k, top-p, then inverse-CDF sampling with one
 * uniform number per row. The uniforms come from the caller's seeded Java generator, drawn for the whole request up
 * front and uploaded once (see {@link Generator}); nothing crosses to the host here.
 *
 * <p>Every op is on the step's arrays, so every result lands in the step's manager. The op sequence is the one the
 * per-step sampler used before, minus ops that provably never changed a value (a clip of an index that cannot leave
 * [0, K) and dtype conversions torch does implicitly), so outputs for a seed are bit-identical.
 *
 * <p>Dimensions: B batch, V vocabulary, K candidates kept (V without filters).
 */
final class TokenSampler {

    /** Chosen ids (B, 1) int64 and their log-probabilities (B, 1) float32, on the logits' manager. */
    record Picked(NDArray ids, NDArray logProbs) {}

    private TokenSampler() {}

    /**
     * @param logits (B, V) float32
     * @param uniforms (B, 1) float32 in [0, 1], ignored (may be null) for greedy decoding
     */
    static Picked pick(NDArray logits, SamplingParams p, NDArray uniforms) {
        if (p.greedyDecoding()) {
            NDArray ids = logits.argMax(1).expandDims(1); // (B, 1)
            NDArray logProbs = logits.logSoftmax(1).gather(ids, 1); // (B, 1)
            return new Picked(ids, logProbs);
        }
        long vocab = logits.getShape().get(1);
        NDArray scaled = p.temperature() == 1.0 ? logits : logits.div((float) p.temperature()); // (B, V)
        NDArray probs; // (B, K)
        NDArray candidates = null; // (B, K) int64 or null when K = V in vocabulary order
        if (p.topK() > 0 || p.topP() < 1) {
            int k = p.topK() > 0 ? (int) Math.min(p.topK(), vocab) : (int) vocab;
            NDList top = scaled.topK(k, 1, true, true); // values (B, K) descending, indices (B, K)
            probs = top.get(0).softmax(1); // (B, K)
            candidates = top.get(1);
            if (p.topP() < 1) {
                // Keep a token while the mass before it is below topP: the most likely token always stays.
                NDArray before = probs.cumSum(1).sub(probs); // (B, K)
                probs = probs.mul(before.lt((float) p.topP())); // (B, K): float * bool promotes to float
            }
        } else {
            probs = scaled.softmax(1); // (B, V)
        }
        NDArray cdf = probs.cumSum(1); // (B, K)
        // The last cdf entry as a max: a cumsum of non-negative floats never decreases, so the max is that entry
        // exactly, in one reduction instead of two slicing ops.
        NDArray total = cdf.max(new int[] {1}, true); // (B, 1)
        NDArray threshold = uniforms.mul(total); // (B, 1), lands in the uniforms' (step) manager
        // u <= 1 gives threshold <= total = cdf[K - 1], so fewer than K entries lie below it: the count is an index
        // in [0, K) without a clip. Summing a bool tensor yields int64 in torch.
        NDArray index = cdf.lt(threshold).sum(new int[] {1}, true); // (B, 1) int64
        NDArray logProbs = probs.gather(index, 1).div(total).log(); // (B, 1)
        NDArray ids = candidates == null ? index : candidates.gather(index, 1); // (B, 1)
        return new Picked(ids, logProbs);
    }
}
