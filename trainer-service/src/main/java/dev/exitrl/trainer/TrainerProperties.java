package dev.exitrl.trainer;

import dev.exitrl.policy.training.GrpoConfig;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the trainer ({@code exit.trainer.*}).
 *
 * @param taskServiceUrl where training batches are claimed
 * @param checkpointDir where policy versions are written (and resumed from after a restart)
 * @param device {@code auto} (GPU if present), {@code cpu} or {@code gpu}
 * @param publicUrl the base URL workers download checkpoints from (announced as part of each checkpointUri)
 * @param keepCheckpoints newest versions kept per experiment (pinned versions are kept besides)
 * @param pollInterval how often the task space is asked for running experiments, and how long the loop waits
 *     when no batch is ready
 * @param loopEnabled start the training loop (off in tests that only serve checkpoints)
 * @param claimSeconds how long a claimed batch stays with the trainer before the task space takes it back
 * @param microBatchSize rollouts per forward/backward pass (gradients accumulate across micro-batches)
 * @param weightDecay AdamW decoupled weight decay of GRPO steps
 * @param maxGradNorm global gradient-norm clip of GRPO and warm-start steps (0 = off)
 * @param precision {@code fp32}, or {@code fp16} mixed precision (FP16 forward and backward on a half copy of the
 *     weights, FP32 master weights and AdamW state, dynamic loss scaling that skips overflowing steps); for GPUs: on
 *     a CPU FP16 arithmetic is emulated and slow
 * @param warmStart the supervised warm-start of version 0
 */
@Validated
@ConfigurationProperties("exit.trainer")
public record TrainerProperties(
        @NotNull @DefaultValue("http://localhost:8081") URI taskServiceUrl,
        @NotNull @DefaultValue("data/checkpoints") Path checkpointDir,

        @Pattern(regexp = "auto|cpu|gpu") @DefaultValue("auto")
        String device,

        @NotNull @DefaultValue("http://localhost:8083") URI publicUrl,
        @Min(1) @DefaultValue("5") int keepCheckpoints,
        @NotNull @DefaultValue("PT2S") Duration pollInterval,
        @DefaultValue("true") boolean loopEnabled,
        @Min(10) @DefaultValue("600") int claimSeconds,
        @Min(1) @DefaultValue("8") int microBatchSize,

        @DecimalMin("0.0") @DecimalMax("0.99") @DefaultValue("0.0")
        double weightDecay,

        @DecimalMin("0.0") @DefaultValue("1.0") double maxGradNorm,
        @Pattern(regexp = "fp32|fp16") @DefaultValue("fp32") String precision,
        @Valid @NotNull @DefaultValue WarmStart warmStart) {

    /**
     * The optimiser settings of this trainer (AdamW's betas and epsilon at their usual values, decay, clip,
     * micro-batch size, precision) with the given objective settings.
     */
    public GrpoConfig grpo(double learningRate, double clipEpsilon, double beta) {
        return new GrpoConfig(
                        learningRate, clipEpsilon, beta, weightDecay, maxGradNorm, microBatchSize, 0.9, 0.999, 1e-8)
                .withPrecision(GrpoConfig.Precision.parse(precision));
    }

    /**
     * Supervised warm-start of a from-scratch model on the domain's demonstrations ({@code exit.trainer.warm-start.*}).
     * Measured on the {@code tiny} preset and countdown ({@code WarmStartBenchmark}, 64 held-out puzzles sampled at
     * temperature 1): after 100-300 steps the answers follow the format ({@code ... = v}, {@code Answer: expr}) and
     * 1-6% use only the given numbers, so quality (and reward) is non-zero for a few rollouts per batch; longer
     * warm-starts (up to 700 steps) did not raise that share, because a 2-layer width-64 model copies numbers from
     * the prompt poorly. About 1.2 s of CPU per step on one libtorch thread (300 steps: about 6 CPU-minutes).
     *
     * @param steps optimizer steps
     * @param batchSize demonstrations per step
     * @param learningRate AdamW learning rate of the warm-start (a from-scratch model needs a large one)
     * @param demonstrations distinct demonstrations drawn from the domain (cycled through in order)
     */
    public record WarmStart(
            @Min(1) @DefaultValue("300") int steps,
            @Min(1) @DefaultValue("8") int batchSize,

            @DecimalMin(value = "0.0", inclusive = false) @DecimalMax("1.0") @DefaultValue("0.005")
            double learningRate,

            @Min(1) @DefaultValue("2000") int demonstrations) {}
}
