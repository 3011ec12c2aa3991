package dev.exitrl.policy.training;

/**
 * What one optimizer step did.
 *
 * @param loss the minimised objective (negative GRPO objective, or supervised cross-entropy per token)
 * @param meanKl mean k3 KL to the reference over policy tokens (0 when beta = 0 or supervised)
 * @param clipFraction share of policy tokens whose ratio was clipped
 * @param gradNorm global gradient norm before clipping
 * @param tokens policy tokens in the step
 * @param step optimizer steps taken so far
 * @param skipped FP16 only: the gradients overflowed, so no update was made (gradNorm is NaN, step unchanged)
 * @param lossScale the loss scale this step's backward used (1 in FP32)
 */
public record StepStats(
        double loss,
        double meanKl,
        double clipFraction,
        double gradNorm,
        long tokens,
        long step,
        boolean skipped,
        double lossScale) {

    /** An FP32 step. */
    public StepStats(double loss, double meanKl, double clipFraction, double gradNorm, long tokens, long step) {
        this(loss, meanKl, clipFraction, gradNorm, tokens, step, false, 1);
    }
}
