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
 */
public record SamplingParams(
        int maxNewTokens,
        double temperature,
        double topP,
        int topK,
        List<String> stopStrings,
        boolean stopAtEos,
        long seed) {

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

    public SamplingParams withSeed(long newSeed) {
        return new SamplingParams(maxNewTokens, temperature, topP, topK, stopStrings, stopAtEos, newSeed);
    }

    public SamplingParams withStopAtEos(boolean stop) {
        return new SamplingParams(maxNewTokens, temperature, topP, topK, stopStrings, stop, seed);
    }

    boolean greedyDecoding() {
        return temperature == 0;
    }
}
