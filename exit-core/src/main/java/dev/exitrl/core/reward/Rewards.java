package dev.exitrl.core.reward;

import dev.exitrl.core.task.StepKind;

/**
 * Rewards from verifier qualities, all in {@code [0,1]}.
 *
 * <p>Normalised improvement: {@code max(0, (G_new - G_prev) / (1 - G_prev))}; at {@code G_prev = 1}
 * ({@code Delta_max = 0}) the reward is 1 if {@code G_new = 1}, else 0.
 */
public final class Rewards {
    private Rewards() {}

    /** {@code max(0, Delta / Delta_max)} with the {@code Delta_max = 0} edge case defined as above. */
    public static double improvement(double previousQuality, double newQuality) {
        checkQuality("previousQuality", previousQuality);
        checkQuality("newQuality", newQuality);
        double maxGain = 1 - previousQuality;
        if (maxGain == 0) {
            return newQuality == 1 ? 1 : 0;
        }
        return Math.max(0, (newQuality - previousQuality) / maxGain);
    }

    /**
     * The reward of one rollout.
     *
     * @param previousQuality quality of the response being revised (ignored for {@code SOLVE})
     * @param newQuality      quality of the rollout's response
     */
    public static double reward(RewardMode mode, StepKind kind, double previousQuality, double newQuality) {
        checkQuality("newQuality", newQuality);
        if (kind == StepKind.SOLVE) {
            return newQuality;
        }
        return switch (mode) {
            case ABSOLUTE -> newQuality;
            case IMPROVEMENT -> improvement(previousQuality, newQuality);
            case MLE -> kind == StepKind.DIVERGE ? newQuality : improvement(previousQuality, newQuality);
        };
    }

    private static void checkQuality(String name, double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], was " + q);
        }
    }
}
