package dev.exitrl.task.lease;

import dev.exitrl.task.TaskServiceProperties;
import dev.exitrl.task.metrics.TaskSpaceMetrics;
import dev.exitrl.task.space.BufferIndex;
import dev.exitrl.task.space.BufferIndexes;
import dev.exitrl.task.space.ExperimentLocks;
import dev.exitrl.task.space.LockedExperiment;
import dev.exitrl.task.web.ConflictException;
import dev.exitrl.task.web.NotFoundException;
import dev.exitrl.taskapi.LeaseView;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Leases prompt slots: in one transaction that holds the experiment's row lock, the {@link LeasePlanner} chooses the
 * slots (ExIt, Algorithm 1, steps 1-3), the {@link LeaseStore} records the lease, and the in-memory buffer mirror
 * learns which items are leased and sampled.
 *
 * <ul>
 *   <li>Base-task draws are uniform over the training split. A drawn base task whose depth-0 instance is leased
 *       already is drawn again (in rounds), so no instance is ever leased twice at once; a slot that finds nothing
 *       free is left out (the lease then has fewer slots than asked for).</li>
 *   <li>Randomness: lease number L of an experiment draws from streams keyed by {@code (seed, L)}
 *       ({@link LeasePlanner.Streams}), so the same sequence of leases and submits makes the same choices.</li>
 * </ul>
 */
@Service
class LeaseService {
    private final ExperimentLocks locks;
    private final LeaseStore store;
    private final BufferIndexes indexes;
    private final TaskServiceProperties properties;
    private final TaskSpaceMetrics metrics;

    LeaseService(
            ExperimentLocks locks,
            LeaseStore store,
            BufferIndexes indexes,
            TaskServiceProperties properties,
            TaskSpaceMetrics metrics) {
        this.locks = locks;
        this.store = store;
        this.indexes = indexes;
        this.properties = properties;
        this.metrics = metrics;
    }

    @Transactional
    public LeaseView lease(UUID experimentId, String workerId, int size, Integer durationSeconds) {
        return metrics.leaseLatency().record(() -> leaseLocked(experimentId, workerId, size, durationSeconds));
    }

    private LeaseView leaseLocked(UUID experimentId, String workerId, int size, Integer durationSeconds) {
        // Lock.
        LockedExperiment experiment = locks.lockRunning(experimentId);
        store.reclaimExpired(experimentId);
        int trainTasks = store.trainTaskCount(experimentId);
        if (trainTasks == 0) {
            throw new ConflictException("experiment " + experimentId + " has no training base tasks;"
                    + " generate or import them first (POST /api/experiments/" + experimentId + "/base-tasks/...)");
        }
        BufferIndex index = indexes.forUpdate(experiment);

        // Plan.
        long nowMillis = System.currentTimeMillis();
        var plan = LeasePlanner.plan(
                experiment,
                size,
                trainTasks,
                index,
                store.scannedFreeItems(experimentId),
                new LeasePlanner.Streams(experiment.seed(), experiment.leaseCount()),
                nowMillis,
                store.rows(experimentId));

        // Store, and mirror what changed in the buffer index.
        UUID leaseId = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Duration duration = durationSeconds != null ? Duration.ofSeconds(durationSeconds) : properties.leaseDuration();
        Instant expiresAt = now.plus(duration);
        long version = experiment.policyVersion();
        store.record(leaseId, experimentId, workerId, version, now, expiresAt, plan);
        for (var slot : plan.slots()) {
            index.setLeasedUntil(slot.instanceId(), expiresAt.toEpochMilli());
        }
        for (long id : plan.sampled()) {
            index.markSampled(id, version);
        }
        return new LeaseView(leaseId, experimentId, workerId, version, expiresAt, plan.slots());
    }

    @Transactional
    public void release(UUID experimentId, UUID leaseId) {
        var experiment = locks.lock(experimentId);
        if (!store.markReleased(experimentId, leaseId)) {
            if (!store.exists(experimentId, leaseId)) {
                throw new NotFoundException("lease", leaseId);
            }
            return; // already closed: releasing again changes nothing
        }
        var index = indexes.forUpdate(experiment);
        store.unlease(leaseId).forEach(id -> index.setLeasedUntil(id, 0));
    }
}
