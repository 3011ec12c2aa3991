package dev.exitrl.rollout;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of a rollout worker ({@code exit.rollout.*}). Sampling settings are the worker's, not the experiment's:
 * the paper fixes none of them, and they decide cost (tokens) more than the algorithm.
 *
 * @param taskServiceUrl where the task space is served
 * @param trainerServiceUrl where new policy versions are pulled from (the announced checkpoint URI wins)
 * @param workerId this worker's name in leases (unique per worker)
 * @param device {@code auto} (GPU if present), {@code cpu} or {@code gpu}
 * @param leaseBatchSize the most task instances one lease asks for (the experiment's promptsPerBatch is capped by it)
 * @param maxNewTokens tokens generated at most per response
 * @param temperature sampling temperature (0 = greedy; GRPO needs > 0 for a group to differ)
 * @param topP nucleus mass in (0, 1]; 1 = off
 * @param seed root seed of the sampler (each batch derives its own); null = a random seed at start
 * @param syncEvery decode steps between two downloads of the sampled ids to the host (stop checks, early exit)
 * @param maxBatch rows decoded at once; 0 = every row of a batch at once, fewer = continuous batching (a finished
 *     row's slot is refilled with a waiting row, so short responses do not wait for the longest)
 * @param pollInterval how often the worker looks for running experiments and new policy versions
 * @param cacheDir where downloaded policy versions are unpacked ({@code {cacheDir}/{experiment}/v{version}})
 * @param downloadTimeout the longest a checkpoint download may take
 * @param submitAttempts how often one batch submit is tried (same request, same idempotency keys) on a timeout or 5xx
 * @param workerEnabled run the worker loops (off: the service only serves evaluations and its status)
 */
@Validated
@ConfigurationProperties("exit.rollout")
public record RolloutProperties(
        @NotNull @DefaultValue("http://localhost:8081") URI taskServiceUrl,
        @NotNull @DefaultValue("http://localhost:8083") URI trainerServiceUrl,
        @NotBlank @DefaultValue("local-rollout") String workerId,

        @Pattern(regexp = "auto|cpu|gpu") @DefaultValue("auto")
        String device,

        @Min(1) @Max(4096) @DefaultValue("16") int leaseBatchSize,
        @Min(1) @Max(32768) @DefaultValue("256") int maxNewTokens,

        @DecimalMin("0.0") @DecimalMax("100.0") @DefaultValue("1.0")
        double temperature,

        @DecimalMin(value = "0.0", inclusive = false) @DecimalMax("1.0") @DefaultValue("1.0")
        double topP,

        Long seed,
        @Min(1) @Max(4096) @DefaultValue("16") int syncEvery,
        @Min(0) @Max(65536) @DefaultValue("0") int maxBatch,
        @NotNull @DefaultValue("PT5S") Duration pollInterval,
        @NotNull @DefaultValue("data/rollout-cache") Path cacheDir,
        @NotNull @DefaultValue("PT10M") Duration downloadTimeout,
        @Min(1) @Max(100) @DefaultValue("5") int submitAttempts,
        @DefaultValue("true") boolean workerEnabled) {}
