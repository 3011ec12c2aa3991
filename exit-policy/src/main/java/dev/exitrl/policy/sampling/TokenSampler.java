package dev.exitrl.policy.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Picks the next token of every row on the device: temperature, top-k, top-p, then inverse-CDF sampling with one
 * uniform number per row drawn from the caller's seeded Java generator (a B-float upload per step instead of a
 * device RNG whose state is global to the engine). Only the chosen ids leave the device.
 *
 * <p>Dimensions: B batch, V vocabulary, K candidates kept (V without filters).
 */
final class TokenSampler {

    /** Chosen ids (B) int64 and their log-probabilities (B) float32, on the logits' manager. */
    record Picked(NDArray ids, NDArray logProbs) {}

    private TokenSampler() {}

    static Picked pick(NDArray logits, SamplingParams p, float[] uniforms) { // logits: (B, V) float32
        NDManager m = logits.getManager();
        if (p.greedyDecoding()) {
            NDArray ids = logits.argMax(1); // (B)
            NDArray logProbs = logits.logSoftmax(1).gather(ids.expandDims(1), 1).squeeze(1); // (B)
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
                probs = probs.mul(before.lt((float) p.topP()).toType(DataType.FLOAT32, false)); // (B, K)
            }
        } else {
            probs = scaled.softmax(1); // (B, V)
        }
        long k = probs.getShape().get(1);
        NDArray cdf = probs.cumSum(1); // (B, K)
        NDArray total = cdf.get(new NDIndex(":, {}:", k - 1)); // (B, 1)
        NDArray threshold = m.create(uniforms, new Shape(uniforms.length, 1)).mul(total); // (B, 1)
        NDArray index = cdf.lt(threshold)
                .toType(DataType.INT64, false)
                .sum(new int[] {1}, true)
                .clip(0, k - 1); // (B, 1)
        NDArray logProbs = probs.gather(index, 1).div(total).log().squeeze(1); // (B)
        NDArray ids = (candidates == null ? index : candidates.gather(index, 1)).squeeze(1); // (B)
        return new Picked(ids, logProbs);
    }
}
