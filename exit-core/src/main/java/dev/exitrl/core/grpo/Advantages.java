package dev.exitrl.core.grpo;

import java.util.ArrayList;
import java.util.List;

/**
 * GRPO advantages per group: {@code A_i = (r_i - mean(r)) / (std(r) + eps)}, shared by every token of
 * rollout i; with Dr. GRPO (Liu et al. 2025, "Understanding R1-Zero-like training", used by the paper for tool use)
 * {@code A_i = r_i - mean(r)}: no division by the group's std, which over-weights groups whose rewards barely
 * differ. (Dr. GRPO's other half, the token loss divided by a constant instead of the rollout's own length, is the
 * trainer's; see {@code DomainTrainingOptions#drGrpo}.)
 *
 * <p>Choices the paper leaves open: {@code std} is the population standard deviation (divide by G, same as
 * the learnability score). A group is <i>zero-variance</i> when {@code max(r) - min(r) <=}
 * {@link #ZERO_VARIANCE_TOLERANCE}; its advantages are exactly 0 (no rounding noise amplified by
 * {@code 1/eps}).
 */
public final class Advantages {
    /** Reward spread at or below which a group counts as zero-variance. */
    public static final double ZERO_VARIANCE_TOLERANCE = 1e-12;

    /** Advantages of a batch of groups. */
    public record Batch(List<double[]> advantages, List<Integer> keptGroups, int zeroVarianceGroups) {
        public Batch {
            advantages = List.copyOf(advantages);
            keptGroups = List.copyOf(keptGroups);
        }
    }

    private Advantages() {}

    public static boolean isZeroVariance(double[] rewards) {
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (double r : rewards) {
            min = Math.min(min, r);
            max = Math.max(max, r);
        }
        return max - min <= ZERO_VARIANCE_TOLERANCE;
    }

    /** GRPO advantages of one group, {@code (G)}. */
    public static double[] of(double[] rewards, double epsilon) {
        return of(rewards, epsilon, false);
    }

    /**
     * Advantages of one group, {@code (G)}: GRPO's, or with {@code drGrpo} the centred rewards {@code r_i - mean(r)}
     * (epsilon is then only validated). Zero-variance groups get exactly 0 either way.
     */
    public static double[] of(double[] rewards, double epsilon, boolean drGrpo) {
        if (rewards.length == 0) {
            throw new IllegalArgumentException("a group needs at least one reward");
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("epsilon must be > 0, was " + epsilon);
        }
        double[] a = new double[rewards.length];
        if (isZeroVariance(rewards)) {
            return a;
        }
        double mean = 0;
        for (double r : rewards) {
            mean += r;
        }
        mean /= rewards.length;
        if (drGrpo) {
            for (int i = 0; i < rewards.length; i++) {
                a[i] = rewards[i] - mean;
            }
            return a;
        }
        double var = 0;
        for (double r : rewards) {
            var += (r - mean) * (r - mean);
        }
        double std = Math.sqrt(var / rewards.length);
        for (int i = 0; i < rewards.length; i++) {
            a[i] = (rewards[i] - mean) / (std + epsilon);
        }
        return a;
    }

    /**
     * Advantages of every group of a batch; with {@code dropZeroVariance}, zero-variance groups are left out
     * (DAPO-style dynamic sampling; off by default to match the paper) and {@code keptGroups} lists the
     * indices of the groups that remain. Zero-variance groups are counted either way.
     */
    public static Batch ofBatch(List<double[]> groupRewards, double epsilon, boolean dropZeroVariance) {
        return ofBatch(groupRewards, epsilon, dropZeroVariance, false);
    }

    /** {@link #ofBatch(List, double, boolean)} with GRPO's or Dr. GRPO's advantages ({@link #of(double[], double, boolean)}). */
    public static Batch ofBatch(List<double[]> groupRewards, double epsilon, boolean dropZeroVariance, boolean drGrpo) {
        var advantages = new ArrayList<double[]>();
        var kept = new ArrayList<Integer>();
        int zero = 0;
        for (int g = 0; g < groupRewards.size(); g++) {
            boolean flat = isZeroVariance(groupRewards.get(g));
            if (flat) {
                zero++;
            }
            if (flat && dropZeroVariance) {
                continue;
            }
            advantages.add(of(groupRewards.get(g), epsilon, drGrpo));
            kept.add(g);
        }
        return new Batch(advantages, kept, zero);
    }
}
