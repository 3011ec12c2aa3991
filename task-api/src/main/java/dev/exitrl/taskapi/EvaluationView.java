package dev.exitrl.taskapi;

import dev.exitrl.core.domain.Split;
import java.time.Instant;
import java.util.UUID;

/**
 * An evaluation as the API shows it.
 *
 * @param steps   K, self-improvement steps after the first answer (step 0)
 * @param samples n, independent samples per base task (avg@n)
 */
public record EvaluationView(
        UUID id,
        UUID experimentId,
        long policyVersion,
        Split split,
        int steps,
        int samples,
        EvaluationStatus status,
        String label,
        Instant createdAt,
        Instant completedAt) {}
