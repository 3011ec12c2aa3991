package dev.exitrl.task.lease;

import dev.exitrl.core.buffer.Selection;
import dev.exitrl.core.domain.Split;
import dev.exitrl.core.domain.TaskJson;
import dev.exitrl.core.sampling.BufferSampler;
import dev.exitrl.core.sampling.Candidate;
import dev.exitrl.core.sampling.InstanceChoice;
import dev.exitrl.core.sampling.StepKindChoice;
import dev.exitrl.core.task.History;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.core.task.TaskInstance;
import dev.exitrl.task.TaskServiceProperties;
import dev.exitrl.task.space.BaseTaskStore;
import dev.exitrl.task.space.ExperimentLocks;
import dev.exitrl.task.space.InstanceStore;
import dev.exitrl.task.space.LockedExperiment;
import dev.exitrl.task.space.StoredBaseTask;
import dev.exitrl.task.web.ConflictException;
import dev.exitrl.task.web.NotFoundException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Chooses each prompt slot per ExIt (Algorithm 1, steps 1-3) and leases the chosen instances, in one transaction
 * that holds the experiment's row lock.
 *
 * <ul>
 *   <li>Source: exit-core's {@link InstanceChoice} (buffer with probability p once |B| >= B_min).</li>
 *   <li>Buffer draws use the experiment's sampler over the buffer items that are not leased, without replacement
 *       within a lease; the sampled item's staleness clock is the experiment's policy version.</li>
 *   <li>Selection (a random turn prefix) is exit-core's {@link Selection}; step kinds come from
 *       {@link StepKindChoice}.</li>
 *   <li>Base-task draws are uniform over the training split. A drawn base task whose depth-0 instance is leased
 *       already is drawn again (up to {@value #BASE_TASK_REDRAWS} times), so no instance is ever leased twice at
 *       once; a slot that finds nothing free is left out (the lease then has fewer slots than asked for).</li>
 *   <li>Randomness: lease number L of an experiment draws from {@code SplittableRandom(seed, L)}, so the same
 *       sequence of leases and submits makes the same choices.</li>
 * </ul>
 */
@Service
class LeaseService {
    static final int BASE_TASK_REDRAWS = 16;

    private final JdbcClient jdbc;
    private final ExperimentLocks locks;
    private final BaseTaskStore baseTasks;
    private final InstanceStore instances;
    private final TaskServiceProperties properties;
    private final Timer leaseTimer;

    LeaseService(JdbcClient jdbc, ExperimentLocks locks, BaseTaskStore baseTasks, InstanceStore instances,
                 TaskServiceProperties properties, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.locks = locks;
        this.baseTasks = baseTasks;
        this.instances = instances;
        this.properties = properties;
        this.leaseTimer = Timer.builder("exit.lease.latency").description("time to choose and lease a batch")
                .publishPercentileHistogram().register(meters);
    }

    @Transactional
    public LeaseView lease(UUID experimentId, String workerId, int size, Integer durationSeconds) {
        return leaseTimer.record(() -> leaseLocked(experimentId, workerId, size, durationSeconds));
    }

    private LeaseView leaseLocked(UUID experimentId, String workerId, int size, Integer durationSeconds) {
        LockedExperiment experiment = locks.lockRunning(experimentId);
        reclaimExpired(experimentId);
        var config = experiment.config();
        long version = experiment.policyVersion();
        var random = random(experiment.seed(), experiment.leaseCount());

        int trainTasks = baseTasks.count(experimentId, Split.TRAIN);
        if (trainTasks == 0) {
            throw new ConflictException("experiment " + experimentId + " has no training base tasks;"
                    + " generate or import them first (POST /api/experiments/" + experimentId + "/base-tasks/...)");
        }
        var pool = config.usesBuffer() ? freeBufferItems(experimentId) : new FreeItems();
        BufferSampler sampler = config.bufferSampler();
        Set<Long> taken = new HashSet<>();
        var slots = new ArrayList<LeaseView.Slot>();
        var sampled = new ArrayList<Long>();

        for (int slot = 0; slot < size; slot++) {
            var source = InstanceChoice.choose(config.usesBuffer(), experiment.bufferSize(), config.bufferMinSize(),
                    config.selectProbability(), random);
            Chosen chosen = null;
            if (source == InstanceChoice.Source.BUFFER && !pool.isEmpty()) {
                int index = sampler.sample(pool.candidates, version, random);
                long storedId = pool.remove(index);
                sampled.add(storedId);
                chosen = selectFromBuffer(experimentId, storedId, random);
                if (!taken.add(chosen.instanceId)) chosen = null;
            } else {
                chosen = drawBaseTask(experimentId, trainTasks, taken, random);
                if (chosen != null) sampled.add(chosen.instanceId);
            }
            if (chosen == null) continue;
            var instance = TaskInstance.of(chosen.task.task().ref(), chosen.history);
            StepKind kind = StepKindChoice.choose(instance, config.effectiveDivergeProbability(), false, random);
            String prompt = experiment.domain().renderPrompt(chosen.task.task(), kind, chosen.history);
            slots.add(new LeaseView.Slot(slots.size(), chosen.instanceId, instance.depth(), kind, chosen.fromBuffer,
                    TaskJson.toTree(chosen.task.task()), TaskJson.toTree(chosen.history), prompt));
        }

        UUID leaseId = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Duration duration = durationSeconds != null ? Duration.ofSeconds(durationSeconds) : properties.leaseDuration();
        Instant expiresAt = now.plus(duration);
        jdbc.sql("INSERT INTO lease (id, experiment_id, worker_id, policy_version, status, created_at, expires_at)"
                        + " VALUES (?, ?, ?, ?, 'ACTIVE', ?, ?)")
                .param(leaseId).param(experimentId).param(workerId).param(version)
                .param(java.sql.Timestamp.from(now)).param(java.sql.Timestamp.from(expiresAt)).update();
        for (var s : slots) {
            jdbc.sql("INSERT INTO lease_slot (lease_id, slot, instance_id, step_kind, from_buffer) VALUES (?, ?, ?, ?, ?)")
                    .param(leaseId).param(s.slot()).param(s.instanceId()).param(s.stepKind().name())
                    .param(s.fromBuffer()).update();
        }
        Long[] leasedIds = slots.stream().map(LeaseView.Slot::instanceId).toArray(Long[]::new);
        jdbc.sql("UPDATE task_instance SET leased_by = ?, leased_until = ? WHERE id = ANY(?)")
                .param(leaseId).param(java.sql.Timestamp.from(expiresAt)).param(leasedIds).update();
        jdbc.sql("UPDATE task_instance SET times_sampled = times_sampled + 1, last_sampled_version = ? WHERE id = ANY(?)")
                .param(version).param(sampled.toArray(Long[]::new)).update();
        jdbc.sql("UPDATE experiment SET lease_count = lease_count + 1 WHERE id = ?").param(experimentId).update();
        return new LeaseView(leaseId, experimentId, workerId, version, expiresAt, slots);
    }

    @Transactional
    public void release(UUID experimentId, UUID leaseId) {
        locks.lock(experimentId);
        int updated = jdbc.sql("UPDATE lease SET status = 'RELEASED', closed_at = now()"
                        + " WHERE id = ? AND experiment_id = ? AND status = 'ACTIVE'")
                .param(leaseId).param(experimentId).update();
        if (updated == 0) {
            boolean exists = jdbc.sql("SELECT count(*) FROM lease WHERE id = ? AND experiment_id = ?")
                    .param(leaseId).param(experimentId).query(Integer.class).single() > 0;
            if (!exists) throw new NotFoundException("lease", leaseId);
            return; // already closed: releasing again changes nothing
        }
        jdbc.sql("UPDATE task_instance SET leased_by = NULL, leased_until = NULL WHERE leased_by = ?")
                .param(leaseId).update();
    }

    /** Expired leases give their instances back; called inside every lease transaction and by the reaper. */
    void reclaimExpired(UUID experimentId) {
        jdbc.sql("UPDATE lease SET status = 'EXPIRED', closed_at = now()"
                + " WHERE experiment_id = ? AND status = 'ACTIVE' AND expires_at < now()").param(experimentId).update();
        jdbc.sql("UPDATE task_instance SET leased_by = NULL, leased_until = NULL"
                + " WHERE experiment_id = ? AND leased_by IS NOT NULL AND leased_until < now()")
                .param(experimentId).update();
    }

    static SplittableRandom random(long seed, long leaseNumber) {
        // Two independent streams keyed by (seed, lease number): a SplitMix-style mix of both.
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + leaseNumber * 0xC2B2AE3D27D4EB4FL + leaseNumber);
    }

    private Chosen selectFromBuffer(UUID experimentId, long storedId, SplittableRandom random) {
        var stored = instances.get(experimentId, storedId);
        StoredBaseTask task = baseTasks.byId(experimentId, stored.baseTaskId()).orElseThrow();
        var selected = Selection.select(TaskInstance.of(task.task().ref(), stored.history()), random);
        long selectedId = selected.history().equals(stored.history()) ? storedId
                : instances.upsert(experimentId, stored.baseTaskId(), stored.parentId(), selected.history(), null, null);
        return new Chosen(selectedId, task, selected.history(), true);
    }

    private Chosen drawBaseTask(UUID experimentId, int trainTasks, Set<Long> taken, SplittableRandom random) {
        for (int attempt = 0; attempt < BASE_TASK_REDRAWS; attempt++) {
            int ordinal = InstanceChoice.baseTaskIndex(trainTasks, random);
            StoredBaseTask task = baseTasks.byOrdinal(experimentId, Split.TRAIN, ordinal);
            long instanceId = instances.upsert(experimentId, task.id(), null, History.empty(), null, null);
            boolean leased = jdbc.sql("SELECT leased_by IS NOT NULL AND leased_until >= now() FROM task_instance WHERE id = ?")
                    .param(instanceId).query(Boolean.class).single();
            if (!leased && taken.add(instanceId)) return new Chosen(instanceId, task, History.empty(), false);
        }
        return null;
    }

    private FreeItems freeBufferItems(UUID experimentId) {
        var items = new FreeItems();
        jdbc.sql("""
                SELECT id, score, coalesce(last_sampled_version, 0) AS last_sampled
                  FROM task_instance
                 WHERE experiment_id = ? AND in_buffer AND (leased_by IS NULL OR leased_until < now())
                 ORDER BY insertion_seq""")
                .param(experimentId)
                .query(rs -> {
                    items.ids.add(rs.getLong(1));
                    items.candidates.add(new Candidate(rs.getDouble(2), rs.getLong(3)));
                });
        return items;
    }

    /** Buffer items that can be leased, in insertion order; drawn items are removed (no repeats in a lease). */
    private static final class FreeItems {
        final List<Long> ids = new ArrayList<>();
        final List<Candidate> candidates = new ArrayList<>();

        boolean isEmpty() {
            return ids.isEmpty();
        }

        long remove(int index) {
            candidates.remove(index);
            return ids.remove(index);
        }
    }

    private record Chosen(long instanceId, StoredBaseTask task, History history, boolean fromBuffer) {}
}
