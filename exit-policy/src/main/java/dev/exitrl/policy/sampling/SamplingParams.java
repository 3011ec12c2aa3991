package dev.exitrl.policy.sampling;

import java.util.List;

/**
 * How to sample a batch of continuations.
 *
 * @param maxNewTokens tokens to generate at most per prompt, >= 1
 * @param temperature 0 for greedy decoding, else > 0 (logits are divided by it)
 * @param topP nucleus mass in (0, 1]; 1 disables the filter
 * @param topK keep the K most likely tokens, 0 disables the filter
 * @param stopStrings generation of a row stops once its text contains one of these (the text is cut before it)
 * @param stopAtEos stop a row at the model's EOS token (kept in the token ids, left out of the text)
 * @param seed seed of the sampler's random source; the same seed and inputs give the same outputs
 * @param syncEvery decode steps between two downloads of the sampled ids to the host (stop strings, EOS and early
 *     exit are checked there), >= 1; larger means fewer host round trips, up to syncEvery - 1 wasted steps at the end
 * @param maxBatch rows decoded at once, 0 = all prompts in one static batch; with fewer slots than prompts, waiting
 *     prompts take the slot of a finished row (continuous batching, see {@link Generator})
 */
public record SamplingParams(
        int maxNewTokens,
        double temperature,
        double topP,
        int topK,
        List<String> stopStrings,
        boolean stopAtEos,
        long seed,
        int syncEvery,
        int maxBatch) {

    /** Ids come to the host every 16 steps unless set otherwise. */
    public static final int DEFAULT_SYNC_EVERY = 16;

    /** Static batching, ids on the host every {@value #DEFAULT_SYNC_EVERY} steps. */
    public SamplingParams(
            int maxNewTokens,
            double temperature,
            double topP,
            int topK,
            List<String> stopStrings,
            boolean stopAtEos,
            long seed) {
        this(maxNewTokens, temperature, topP, topK, stopStrings, stopAtEos, seed, DEFAULT_SYNC_EVERY, 0);
    }

    public SamplingParams {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be >= 1, got " + maxNewTokens);
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be >= 0 and finite, got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0 (0 = off), got " + topK);
        }
        if (syncEvery < 1) {
            throw new IllegalArgumentException("syncEvery must be >= 1, got " + syncEvery);
        }
        if (maxBatch < 0) {
            throw new IllegalArgumentException("maxBatch must be >= 0 (0 = all prompts at once), got " + maxBatch);
        }
        stopStrings = stopStrings == null ? List.of() : List.copyOf(stopStrings);
        for (String s : stopStrings) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("stopStrings must not contain the empty string");
            }
        }
    }

    /** Greedy decoding of up to {@code maxNewTokens}, stopping at EOS. */
    public static SamplingParams greedy(int maxNewTokens) {
        return new SamplingParams(maxNewTokens, 0, 1, 0, List.of(), true, 0);
    }

    /** Plain sampling at temperature 1 (no filters), stopping at EOS. */
    public static SamplingParams sample(int maxNewTokens, long seed) {
        return new SamplingParams(maxNewTokens, 1, 1, 0, List.of(), true, seed);
    }

    public SamplingParams withMaxNewTokens(int tokens) {
        return new SamplingParams(tokens, temperature, topP, topK, stopStrings, stopAtEos, seed, syncEvery, maxBatch);
    }

    public SamplingParams withSeed(long newSeed) {
        return new SamplingParams(
                maxNewTokens, temperature, topP, topK, stopStrings, stopAtEos, newSeed, syncEvery, maxBatch);
    }

    public SamplingParams withStopAtEos(boolean stop) {
        return new SamplingParams(maxNewTokens, temperature, topP, topK, stopStrings, stop, seed, syncEvery, maxBatch);
    }

    public SamplingParams withSyncEvery(int steps) {
        return new SamplingParams(maxNewTokens, temperature, topP, topK, stopStrings, stopAtEos, seed, steps, maxBatch);
    }

    public SamplingParams withMaxBatch(int slots) {
        return new SamplingParams(
                maxNewTokens, temperature, topP, topK, stopStrings, stopAtEos, seed, syncEvery, slots);
    }

    boolean greedyDecoding() {
        return temperature == 0;
    }
}
