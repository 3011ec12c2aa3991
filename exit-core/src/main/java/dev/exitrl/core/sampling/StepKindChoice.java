package dev.exitrl.core.sampling;

import dev.exitrl.core.task.StepKind;
import dev.exitrl.core.task.TaskInstance;
import java.util.random.RandomGenerator;

/**
 * The step kind of a prompt slot (Algorithm 1, step 3): depth 0 is a plain {@code SOLVE}; otherwise
 * {@code DIVERGE} with probability {@code p_div}, else {@code IMPROVE}.
 *
 * <p>Our addition for the MLE domain: when the domain reports that the previous attempt failed (its error
 * is in the feedback), the step is {@code DEBUG}. Random-stream contract: one {@code nextDouble()} is drawn
 * only for a revisable, non-failed instance with divergence enabled ({@code p_div > 0}).
 */
public final class StepKindChoice {
    private StepKindChoice() {}

    /**
     * @param divergeProbability effective {@code p_div} (0 when the preset has no divergence)
     * @param previousFailed     the domain says the latest attempt failed and should be debugged
     */
    public static StepKind choose(
            TaskInstance instance, double divergeProbability, boolean previousFailed, RandomGenerator random) {
        if (instance.isBase()) {
            return StepKind.SOLVE;
        }
        if (previousFailed) {
            return StepKind.DEBUG;
        }
        if (divergeProbability <= 0) {
            return StepKind.IMPROVE;
        }
        return random.nextDouble() < divergeProbability ? StepKind.DIVERGE : StepKind.IMPROVE;
    }
}
