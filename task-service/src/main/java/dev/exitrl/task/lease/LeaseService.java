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
import dev.exitrl.task.space.BufferIndex;
import dev.exitrl.task.space.BufferIndex.FreeItems;
import dev.exitrl.task.space.BufferIndexes;
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
 *   <li>Buffer draws use the experiment's sampler over the buffer items that are not leased. Its distribution is
 *       computed once per lease; the slots of one lease draw from it without replacement (a drawn item is
 *       rejected and drawn again), which for the softmax sampler is exactly sampling from the renormalised rest.
 *       The staleness clock is the experiment's policy version.</li>
 *   <li>The free buffer items come from an in-memory mirror of the buffer ({@code BufferIndex}); with
 *       {@code exit.task.sampling-index=false} they are read from the table per lease. Both give the same items in
 *       the same order, so they choose identically.</li>
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
    private final BufferIndexes indexes;
    private final TaskServiceProperties properties;
    private final Timer leaseTimer;

    LeaseService(JdbcClient jdbc, ExperimentLocks locks, BaseTaskStore baseTasks, InstanceStore instances,
                 BufferIndexes indexes, TaskServiceProperties properties, MeterRegistry meters) {
        this.indexes = indexes;
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
        BufferIndex index = indexes.forUpdate(experiment);
        long nowMillis = System.currentTimeMillis();
        FreeItems pool = !config.usesBuffer() ? FreeItems.none()
                : properties.samplingIndex() ? index.free(nowMillis) : scanFreeItems(experimentId);
        BufferSampler sampler = config.bufferSampler();
        var draws = new DrawsWithoutReplacement(
                pool.ids().isEmpty() ? new double[0] : sampler.probabilities(pool.candidates(), version));
        Set<Long> taken = new HashSet<>();
        var slots = new ArrayList<LeaseView.Slot>();
        var sampled = new ArrayList<Long>();

        for (int slot = 0; slot < size; slot++) {
            var source = InstanceChoice.choose(config.usesBuffer(), experiment.bufferSize(), config.bufferMinSize(),
                    config.selectProbability(), random);
            Chosen chosen = null;
            if (source == InstanceChoice.Source.BUFFER && draws.hasMore()) {
                long storedId = pool.ids().get(draws.next(random));
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
        for (long leased : leasedIds) index.setLeasedUntil(leased, expiresAt.toEpochMilli());
        jdbc.sql("UPDATE task_instance SET times_sampled = times_sampled + 1, last_sampled_version = ? WHERE id = ANY(?)")
                .param(version).param(sampled.toArray(Long[]::new)).update();
        for (long id : sampled) index.markSampled(id, version);
        jdbc.sql("UPDATE experiment SET lease_count = lease_count + 1 WHERE id = ?").param(experimentId).update();
        return new LeaseView(leaseId, experimentId, workerId, version, expiresAt, slots);
    }

    @Transactional
    public void release(UUID experimentId, UUID leaseId) {
        var experiment = locks.lock(experimentId);
        int updated = jdbc.sql("UPDATE lease SET status = 'RELEASED', closed_at = now()"
                        + " WHERE id = ? AND experiment_id = ? AND status = 'ACTIVE'")
                .param(leaseId).param(experimentId).update();
        if (updated == 0) {
            boolean exists = jdbc.sql("SELECT count(*) FROM lease WHERE id = ? AND experiment_id = ?")
                    .param(leaseId).param(experimentId).query(Integer.class).single() > 0;
            if (!exists) throw new NotFoundException("lease", leaseId);
            return; // already closed: releasing again changes nothing
        }
        var index = indexes.forUpdate(experiment);
        jdbc.sql("UPDATE task_instance SET leased_by = NULL, leased_until = NULL WHERE leased_by = ? RETURNING id")
                .param(leaseId).query(Long.class).list()
                .forEach(id -> index.setLeasedUntil(id, 0));
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

    /** The baseline: every free buffered row, read per lease in insertion order (what the index mirrors). */
    private FreeItems scanFreeItems(UUID experimentId) {
        var ids = new ArrayList<Long>();
        var candidates = new ArrayList<Candidate>();
        jdbc.sql("""
                SELECT id, score, coalesce(last_sampled_version, 0) AS last_sampled
                  FROM task_instance
                 WHERE experiment_id = ? AND in_buffer AND (leased_by IS NULL OR leased_until < now())
                 ORDER BY insertion_seq""")
                .param(experimentId)
                .query(rs -> {
                    ids.add(rs.getLong(1));
                    candidates.add(new Candidate(rs.getDouble(2), rs.getLong(3)));
                });
        return new FreeItems(ids, candidates);
    }

    private record Chosen(long instanceId, StoredBaseTask task, History history, boolean fromBuffer) {}
}
