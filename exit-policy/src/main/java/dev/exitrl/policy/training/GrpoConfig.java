package dev.exitrl.policy.training;

/**
 * Optimisation settings of the trainer.
 *
 * @param learningRate AdamW step size, > 0 (paper: 1e-6 for 3B-7B models; tiny models need ~1e-3)
 * @param clipEpsilon PPO clip range of the probability ratio, in (0, 1) (paper: 0.2)
 * @param beta coefficient of the k3 KL penalty to the reference policy, >= 0 (paper: 0.001); 0 skips the
 *     reference forward pass
 * @param weightDecay decoupled AdamW weight decay, >= 0
 * @param maxGradNorm global gradient-norm clip, > 0 (0 disables)
 * @param microBatchSize rollouts per forward/backward pass; gradients accumulate across micro-batches, >= 1
 * @param adamBeta1 first-moment decay in [0, 1)
 * @param adamBeta2 second-moment decay in [0, 1)
 * @param adamEps denominator epsilon, > 0
 */
public record GrpoConfig(
        double learningRate,
        double clipEpsilon,
        double beta,
        double weightDecay,
        double maxGradNorm,
        int microBatchSize,
        double adamBeta1,
        double adamBeta2,
        double adamEps) {

    public GrpoConfig {
        require(learningRate > 0 && Double.isFinite(learningRate), "learningRate must be > 0, got " + learningRate);
        require(clipEpsilon > 0 && clipEpsilon < 1, "clipEpsilon must be in (0, 1), got " + clipEpsilon);
        require(beta >= 0 && Double.isFinite(beta), "beta must be >= 0, got " + beta);
        require(weightDecay >= 0 && weightDecay < 1, "weightDecay must be in [0, 1), got " + weightDecay);
        require(maxGradNorm >= 0, "maxGradNorm must be >= 0 (0 = off), got " + maxGradNorm);
        require(microBatchSize >= 1, "microBatchSize must be >= 1, got " + microBatchSize);
        require(adamBeta1 >= 0 && adamBeta1 < 1, "adamBeta1 must be in [0, 1), got " + adamBeta1);
        require(adamBeta2 >= 0 && adamBeta2 < 1, "adamBeta2 must be in [0, 1), got " + adamBeta2);
        require(adamEps > 0, "adamEps must be > 0, got " + adamEps);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The paper's GRPO settings (clip 0.2, beta 0.001) with AdamW defaults and the given learning rate. */
    public static GrpoConfig defaults(double learningRate) {
        return new GrpoConfig(learningRate, 0.2, 0.001, 0.0, 1.0, 8, 0.9, 0.999, 1e-8);
    }

    public GrpoConfig withBeta(double newBeta) {
        return new GrpoConfig(
                learningRate,
                clipEpsilon,
                newBeta,
                weightDecay,
                maxGradNorm,
                microBatchSize,
                adamBeta1,
                adamBeta2,
                adamEps);
    }

    public GrpoConfig withMicroBatchSize(int size) {
        return new GrpoConfig(
                learningRate, clipEpsilon, beta, weightDecay, maxGradNorm, size, adamBeta1, adamBeta2, adamEps);
    }
}
