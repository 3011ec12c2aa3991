package dev.exitrl.policy.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Produces next-token logits for a prompt batch: once for the prompts, then once per generated token. Every array
 * a call makes lives in the caller's {@code scope}; the decoder keeps only its own state (cache, masks) across
 * calls.
 *
 * <p>Dimensions: B batch, V vocabulary.
 */
interface Decoder extends AutoCloseable {

    /** Runs the prompts: (B, V) float32 logits of the first new token. */
    NDArray prefill(NDManager scope);

    /**
     * Feeds the tokens sampled at step {@code t - 1}.
     *
     * @param last (B, 1) int64 ids, in {@code scope}
     * @param t the step whose logits are wanted, >= 1
     * @return (B, V) float32 logits
     */
    NDArray step(NDArray last, int t, NDManager scope);

    @Override
    void close();
}
