package dev.exitrl.task.space;

import dev.exitrl.core.domain.Domain;
import dev.exitrl.core.experiment.ExperimentConfig;
import dev.exitrl.taskapi.ExperimentStatus;
import java.util.UUID;

/**
 * An experiment row locked for the current transaction ({@code SELECT ... FOR UPDATE}). Holding it serialises
 * every buffer decision of the experiment, so the PostgreSQL buffer decides exactly as exit-core's reference.
 */
public record LockedExperiment(
        UUID id,
        ExperimentStatus status,
        long seed,
        long policyVersion,
        long leaseCount,
        long bufferVersion,
        ExperimentConfig config,
        Domain domain) {}
