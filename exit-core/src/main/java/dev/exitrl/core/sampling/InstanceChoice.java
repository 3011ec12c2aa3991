package dev.exitrl.core.sampling;

import java.util.random.RandomGenerator;

/**
 * Where a prompt slot's instance comes from (Algorithm 1, step 1): the buffer with probability {@code p}
 * once {@code |B| >= B_min}, else a base task drawn uniformly from the training split.
 *
 * <p>Random-stream contract (for reproducibility across implementations): one {@code nextDouble()} is drawn
 * only when the buffer is in use and ready; {@link #baseTaskIndex} draws one {@code nextInt(n)}.
 */
public final class InstanceChoice {
    public enum Source {
        BUFFER,
        BASE_TASK
    }

    private InstanceChoice() {}

    /**
     * @param useBuffer         the preset selects from the buffer at all
     * @param bufferSize        |B|
     * @param minSize           B_min
     * @param selectProbability p
     */
    public static Source choose(
            boolean useBuffer, int bufferSize, int minSize, double selectProbability, RandomGenerator random) {
        if (!useBuffer || bufferSize == 0 || bufferSize < minSize) {
            return Source.BASE_TASK;
        }
        return random.nextDouble() < selectProbability ? Source.BUFFER : Source.BASE_TASK;
    }

    /** A base task index drawn uniformly from {@code [0, baseTaskCount)}. */
    public static int baseTaskIndex(int baseTaskCount, RandomGenerator random) {
        if (baseTaskCount < 1) {
            throw new IllegalArgumentException("the training split has no base tasks");
        }
        return random.nextInt(baseTaskCount);
    }
}
