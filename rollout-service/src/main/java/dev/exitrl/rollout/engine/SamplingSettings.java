package dev.exitrl.rollout.engine;

import dev.exitrl.policy.sampling.SamplingParams;
import java.util.List;

/**
 * The worker's sampling settings ({@code exit.rollout.*}). Each batch gets its own seed, derived from the root seed
 * and a batch counter, so batches differ while a run with a fixed root seed stays reproducible.
 *
 * @param syncEvery decode steps between two downloads of the sampled ids (stop checks, early exit)
 * @param maxBatch rows decoded at once; 0 = every row of a batch at once, fewer = continuous batching (a finished
 *     row's slot takes the next waiting row)
 */
public record SamplingSettings(
        int maxNewTokens, double temperature, double topP, long seed, int syncEvery, int maxBatch) {
    public SamplingSettings {
        // Validate once here rather than at the first batch.
        params(maxNewTokens, temperature, topP, seed, syncEvery, maxBatch);
    }

    /** Static batches, ids on the host every {@value SamplingParams#DEFAULT_SYNC_EVERY} steps. */
    public SamplingSettings(int maxNewTokens, double temperature, double topP, long seed) {
        this(maxNewTokens, temperature, topP, seed, SamplingParams.DEFAULT_SYNC_EVERY, 0);
    }

    /** Sampling parameters for the batch with this index (0, 1, 2, ...). */
    public SamplingParams forBatch(long batchIndex) {
        return params(maxNewTokens, mix(seed, batchIndex));
    }

    SamplingParams params(int newTokens, long batchSeed) {
        return params(newTokens, temperature, topP, batchSeed, syncEvery, maxBatch);
    }

    private static SamplingParams params(
            int newTokens, double temperature, double topP, long seed, int syncEvery, int maxBatch) {
        return new SamplingParams(newTokens, temperature, topP, 0, List.of(), true, seed, syncEvery, maxBatch);
    }

    /** SplitMix64's finaliser over (seed, index): nearby indices give unrelated seeds. */
    public static long mix(long seed, long index) {
        long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
