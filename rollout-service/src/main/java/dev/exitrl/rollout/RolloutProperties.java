package dev.exitrl.rollout;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of a rollout worker ({@code exit.rollout.*}).
 *
 * @param taskServiceUrl where the task space is served
 * @param trainerServiceUrl where new policy versions are pulled from
 * @param workerId this worker's name in leases (unique per worker)
 * @param device {@code auto} (GPU if present), {@code cpu} or {@code gpu}
 * @param leaseBatchSize how many task instances one lease asks for
 */
@Validated
@ConfigurationProperties("exit.rollout")
public record RolloutProperties(
        @NotNull @DefaultValue("http://localhost:8081") URI taskServiceUrl,
        @NotNull @DefaultValue("http://localhost:8083") URI trainerServiceUrl,
        @NotBlank @DefaultValue("local-rollout") String workerId,

        @Pattern(regexp = "auto|cpu|gpu") @DefaultValue("auto")
        String device,

        @Min(1) @Max(4096) @DefaultValue("16") int leaseBatchSize) {}
