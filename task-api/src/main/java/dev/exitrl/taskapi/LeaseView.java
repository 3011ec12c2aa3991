package dev.exitrl.taskapi;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A lease: the slots a worker rolls out, each with everything it needs to build, sample, verify and reward its
 * prompt without a second call.
 *
 * @param policyVersion the experiment's policy version when the lease was made (the newest the worker should use)
 */
public record LeaseView(
        UUID leaseId,
        UUID experimentId,
        String workerId,
        long policyVersion,
        Instant expiresAt,
        List<LeaseSlot> slots) {}
