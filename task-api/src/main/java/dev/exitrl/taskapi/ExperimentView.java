package dev.exitrl.taskapi;

import dev.exitrl.core.experiment.ExperimentConfig;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.UUID;

/**
 * An experiment as the API shows it.
 *
 * @param policyVersion    the newest policy version the trainer announced (0 before the first)
 * @param checkpointUri    where workers download that version's weights; null until the trainer announced one
 * @param checkpointSha256 hex SHA-256 of the file at {@code checkpointUri}; null with it
 * @param config           the full resolved configuration
 */
public record ExperimentView(
        UUID id,
        @Schema(example = "countdown-exit") String name,
        @Schema(example = "countdown") String domain,
        @Schema(example = "exit") String preset,
        ExperimentStatus status,
        @Schema(example = "0") long seed,
        @Schema(example = "3") long policyVersion,
        String checkpointUri,
        String checkpointSha256,
        ExperimentConfig config,
        Instant createdAt,
        Instant updatedAt) {

    /** Whether the trainer has announced weights that workers can load. */
    public boolean hasCheckpoint() {
        return checkpointUri != null;
    }
}
