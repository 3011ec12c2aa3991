package dev.exitrl.trainer;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the trainer ({@code exit.trainer.*}).
 *
 * @param taskServiceUrl where training batches are claimed
 * @param checkpointDir where policy versions are written (and resumed from after a restart)
 * @param device {@code auto} (GPU if present), {@code cpu} or {@code gpu}
 */
@Validated
@ConfigurationProperties("exit.trainer")
public record TrainerProperties(
        @NotNull @DefaultValue("http://localhost:8081") URI taskServiceUrl,
        @NotNull @DefaultValue("data/checkpoints") Path checkpointDir,

        @Pattern(regexp = "auto|cpu|gpu") @DefaultValue("auto")
        String device) {}
