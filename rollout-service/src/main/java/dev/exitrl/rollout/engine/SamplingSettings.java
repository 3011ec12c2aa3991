package dev.exitrl.rollout.engine;

import dev.exitrl.policy.sampling.SamplingParams;
import java.util.List;

/**
 * The worker's sampling settings ({@code exit.rollout.*}). Each batch gets its own seed, derived from the root seed
 * and a batch counter, so batches differ while a run with a fixed root seed stays reproducible.
 */
public record SamplingSettings(int maxNewTokens, double temperature, double topP, long seed) {
    public SamplingSettings {
        // Validate once here rather than at the first batch.
        new SamplingParams(maxNewTokens, temperature, topP, 0, List.of(), true, seed);
    }

    /** Sampling parameters for the batch with this index (0, 1, 2, ...). */
    public SamplingParams forBatch(long batchIndex) {
        return params(maxNewTokens, mix(seed, batchIndex));
    }

    SamplingParams params(int newTokens, long batchSeed) {
        return new SamplingParams(newTokens, temperature, topP, 0, List.of(), true, batchSeed);
    }

    /** SplitMix64's finaliser over (seed, index): nearby indices give unrelated seeds. */
    public static long mix(long seed, long index) {
        long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
