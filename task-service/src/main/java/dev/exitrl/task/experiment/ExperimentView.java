package dev.exitrl.task.experiment;

import dev.exitrl.core.experiment.ExperimentConfig;
import java.time.Instant;
import java.util.UUID;

/** An experiment as the API shows it. */
public record ExperimentView(
        UUID id,
        String name,
        String domain,
        String preset,
        ExperimentStatus status,
        long seed,
        long policyVersion,
        ExperimentConfig config,
        Instant createdAt,
        Instant updatedAt) {}
