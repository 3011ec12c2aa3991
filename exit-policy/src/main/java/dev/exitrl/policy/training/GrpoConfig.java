package dev.exitrl.policy.training;

import java.util.Locale;

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
 * @param precision {@code fp32}, or {@code fp16} mixed precision: FP16 compute copies of the weights for forward
 *     and backward, FP32 master weights and AdamW state, dynamic loss scaling (see {@link MixedPrecision})
 * @param initialLossScale FP16 only: the loss scale of the first step, > 0 (default 65536 = 2^16, PyTorch's
 *     {@code GradScaler} default {@code init_scale})
 * @param lossScaleGrowthInterval FP16 only: consecutive steps without overflow after which the scale doubles, >= 1
 *     (default 2000, {@code GradScaler}'s {@code growth_interval}); an overflow halves it and skips the step
 * @param sequenceBucket micro-batch sequence lengths are padded up to a multiple of this, >= 0 (0 = no padding;
 *     default 64), and every micro-batch of a step gets the same row count, so a caching allocator sees few
 *     distinct shapes
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
        double adamEps,
        Precision precision,
        double initialLossScale,
        int lossScaleGrowthInterval,
        int sequenceBucket) {

    /** Default {@code sequenceBucket}: 64 positions (T = 512 and 1024 fit exactly, waste below 64 positions). */
    public static final int DEFAULT_BUCKET = 64;
    /** PyTorch {@code GradScaler}'s {@code init_scale}. */
    public static final double DEFAULT_LOSS_SCALE = 65536.0;
    /** PyTorch {@code GradScaler}'s {@code growth_interval}. */
    public static final int DEFAULT_GROWTH_INTERVAL = 2000;

    /** Arithmetic of forward and backward passes. */
    public enum Precision {
        FP32,
        FP16;

        /** Parses {@code fp32} / {@code fp16} (any case). */
        public static Precision parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "fp32", "float32" -> FP32;
                case "fp16", "float16" -> FP16;
                default -> throw new IllegalArgumentException("precision must be fp32 or fp16, got '" + s + "'");
            };
        }
    }

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
        require(precision != null, "precision must be fp32 or fp16");
        require(
                initialLossScale > 0 && Double.isFinite(initialLossScale),
                "initialLossScale must be > 0, got " + initialLossScale);
        require(lossScaleGrowthInterval >= 1, "lossScaleGrowthInterval must be >= 1, got " + lossScaleGrowthInterval);
        require(sequenceBucket >= 0, "sequenceBucket must be >= 0 (0 = off), got " + sequenceBucket);
    }

    /** FP32 settings with the default sequence bucket. */
    public GrpoConfig(
            double learningRate,
            double clipEpsilon,
            double beta,
            double weightDecay,
            double maxGradNorm,
            int microBatchSize,
            double adamBeta1,
            double adamBeta2,
            double adamEps) {
        this(
                learningRate,
                clipEpsilon,
                beta,
                weightDecay,
                maxGradNorm,
                microBatchSize,
                adamBeta1,
                adamBeta2,
                adamEps,
                Precision.FP32,
                DEFAULT_LOSS_SCALE,
                DEFAULT_GROWTH_INTERVAL,
                DEFAULT_BUCKET);
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

    /** The objective's settings changed (learning rate, clip, KL weight); optimiser, precision and shapes kept. */
    public GrpoConfig withObjective(double newLearningRate, double newClipEpsilon, double newBeta) {
        return new GrpoConfig(
                newLearningRate,
                newClipEpsilon,
                newBeta,
                weightDecay,
                maxGradNorm,
                microBatchSize,
                adamBeta1,
                adamBeta2,
                adamEps,
                precision,
                initialLossScale,
                lossScaleGrowthInterval,
                sequenceBucket);
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
                adamEps,
                precision,
                initialLossScale,
                lossScaleGrowthInterval,
                sequenceBucket);
    }

    public GrpoConfig withMicroBatchSize(int size) {
        return new GrpoConfig(
                learningRate,
                clipEpsilon,
                beta,
                weightDecay,
                maxGradNorm,
                size,
                adamBeta1,
                adamBeta2,
                adamEps,
                precision,
                initialLossScale,
                lossScaleGrowthInterval,
                sequenceBucket);
    }

    /** FP16 mixed precision with the given initial loss scale and growth interval. */
    public GrpoConfig withFp16(double lossScale, int growthInterval) {
        return new GrpoConfig(
                learningRate,
                clipEpsilon,
                beta,
                weightDecay,
                maxGradNorm,
                microBatchSize,
                adamBeta1,
                adamBeta2,
                adamEps,
                Precision.FP16,
                lossScale,
                growthInterval,
                sequenceBucket);
    }

    public GrpoConfig withPrecision(Precision newPrecision) {
        return new GrpoConfig(
                learningRate,
                clipEpsilon,
                beta,
                weightDecay,
                maxGradNorm,
                microBatchSize,
                adamBeta1,
                adamBeta2,
                adamEps,
                newPrecision,
                initialLossScale,
                lossScaleGrowthInterval,
                sequenceBucket);
    }

    public GrpoConfig withSequenceBucket(int bucket) {
        return new GrpoConfig(
                learningRate,
                clipEpsilon,
                beta,
                weightDecay,
                maxGradNorm,
                microBatchSize,
                adamBeta1,
                adamBeta2,
                adamEps,
                precision,
                initialLossScale,
                lossScaleGrowthInterval,
                bucket);
    }
}
