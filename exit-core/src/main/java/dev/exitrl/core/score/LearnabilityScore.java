package dev.exitrl.core.score;

import dev.exitrl.core.task.Group;

/**
 * The learnability score of a group, {@code S = var(r_1..r_G)}: the variance of the group's <b>returns</b>, the
 * rewards GRPO trains on, each in {@code [0,1]} (exit-algorithm.md step 6; paper v1, 4.1). With the improvement
 * reward a group whose revisions are all no better than the parent has reward 0 everywhere and so scores 0, even
 * when its qualities differ.
 *
 * <p>Deviation / choice: the paper does not say which variance; we use the <b>population</b> variance
 * (divide by G, not G-1), so {@code S} lies in {@code [0, 0.25]} and a group of one rollout scores 0.
 * A group whose qualities are all equal scores exactly 0 (no rounding residue from the mean).
 */
public final class LearnabilityScore {
    /** The largest score: half the group's returns at 0, half at 1. */
    public static final double MAX = 0.25;

    private LearnabilityScore() {}

    /** The score of {@code group}: the population variance of its rewards. */
    public static double of(Group group) {
        return of(group.rewards());
    }

    /** Population variance of {@code values} ({@code (G)}, each in [0,1]); a group with G = 1 scores 0. */
    public static double of(double[] qualities) {
        if (qualities.length == 0) {
            throw new IllegalArgumentException("a group needs at least one quality");
        }
        double mean = 0, min = 1, max = 0;
        for (double q : qualities) {
            if (!(q >= 0 && q <= 1)) {
                throw new IllegalArgumentException("quality must be in [0, 1], was " + q);
            }
            mean += q;
            min = Math.min(min, q);
            max = Math.max(max, q);
        }
        if (min == max) {
            return 0;
        }
        mean /= qualities.length;
        double sumSq = 0;
        for (double q : qualities) {
            sumSq += (q - mean) * (q - mean);
        }
        return sumSq / qualities.length;
    }
}
