package dev.exitrl.policy.sampling;

/**
 * One sampled continuation.
 *
 * @param text decoded continuation (special tokens skipped, cut before a stop string)
 * @param tokenIds generated ids, including a final EOS or the token that completed a stop string
 * @param logProbs log-probability of each generated id under the distribution it was drawn from (temperature,
 *     top-k and top-p applied and renormalised; for greedy decoding the unscaled model distribution)
 * @param finishReason {@code eos}, {@code stop} or {@code length}
 */
public record Generation(String text, long[] tokenIds, float[] logProbs, String finishReason) {}
