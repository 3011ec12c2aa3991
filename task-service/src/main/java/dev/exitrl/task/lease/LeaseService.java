package dev.exitrl.task.lease;

import dev.exitrl.core.buffer.Selection;
import dev.exitrl.core.domain.Split;
import dev.exitrl.core.sampling.BufferSampler;
import dev.exitrl.core.sampling.Candidate;
import dev.exitrl.core.sampling.InstanceChoice;
import dev.exitrl.core.sampling.StepKindChoice;
import dev.exitrl.core.task.History;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.core.task.TaskInstance;
import dev.exitrl.task.TaskServiceProperties;
import dev.exitrl.task.basetask.BaseTaskStore;
import dev.exitrl.task.basetask.StoredBaseTask;
import dev.exitrl.task.space.BufferIndex;
import dev.exitrl.task.space.BufferIndex.FreeItems;
import dev.exitrl.task.space.BufferIndexes;
import dev.exitrl.task.space.ExperimentLocks;
import dev.exitrl.task.space.InstanceStore;
import dev.exitrl.task.space.LockedExperiment;
import dev.exitrl.task.space.ParentQuality;
import dev.exitrl.task.space.StoredInstance;
import dev.exitrl.task.web.ConflictException;
import dev.exitrl.task.web.NotFoundException;
import dev.exitrl.taskapi.LeaseSlot;
import dev.exitrl.taskapi.LeaseView;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Chooses each prompt slot per ExIt (Algorithm 1, steps 1-3) and leases the chosen instances, in one transaction
 * that holds the experiment's row lock.
 *
 * <ul>
 *   <li>Source: exit-core's {@link InstanceChoice} (buffer with probability p once |B| >= B_min).</li>
 *   <li>Buffer draws use the experiment's sampler over the buffer items that are not leased, without repeats
 *       within a lease (a drawn item is rejected and drawn again, which for the softmax sampler is exactly
 *       sampling from the renormalised rest). The staleness clock is the experiment's policy version.</li>
 *   <li>How: with the paper's softmax sampler, each slot descends the weight tree of the in-memory buffer mirror
 *       ({@code BufferIndex#drawFree}, O(log N)). With the rank sampler the exact distribution over the mirror's
 *       free items is computed once per lease (O(N)). With {@code exit.task.sampling-index=false} the free items
 *       are read from the table per lease (the benchmark's baseline). All three sample the same distribution; they
 *       consume the random stream differently, so they do not make the same choices.</li>
 *   <li>Selection (a random turn prefix) is exit-core's {@link Selection}; step kinds come from
 *       {@link StepKindChoice}, with the domain's verdict on whether the latest attempt failed (MLE: DEBUG).</li>
 *   <li>Base-task draws are uniform over the training split. A drawn base task whose depth-0 instance is leased
 *       already is drawn again (up to {@value #BASE_TASK_REDRAWS} times), so no instance is ever leased twice at
 *       once; a slot that finds nothing free is left out (the lease then has fewer slots than asked for).</li>
 *   <li>Randomness: lease number L of an experiment draws from streams keyed by {@code (seed, L)} (see
 *       {@link Streams}), so the same sequence of leases and submits makes the same choices.</li>
 *   <li>The database work is batched: whatever the lease size, it costs a fixed handful of statements (plus a
 *       round per base-task redraw).</li>
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

    LeaseService(
            JdbcClient jdbc,
            ExperimentLocks locks,
            BaseTaskStore baseTasks,
            InstanceStore instances,
            BufferIndexes indexes,
            TaskServiceProperties properties,
            MeterRegistry meters) {
        this.indexes = indexes;
        this.jdbc = jdbc;
        this.locks = locks;
        this.baseTasks = baseTasks;
        this.instances = instances;
        this.properties = properties;
        this.leaseTimer = Timer.builder("exit.lease.latency")
                .description("time to choose and lease a batch")
                .publishPercentileHistogram()
                .register(meters);
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
        var streams = new Streams(experiment.seed(), experiment.leaseCount());

        int trainTasks = baseTasks.count(experimentId, Split.TRAIN);
        if (trainTasks == 0) {
            throw new ConflictException("experiment " + experimentId + " has no training base tasks;"
                    + " generate or import them first (POST /api/experiments/" + experimentId + "/base-tasks/...)");
        }
        BufferIndex index = indexes.forUpdate(experiment);
        long nowMillis = System.currentTimeMillis();
        // Softmax over the index: O(log N) per slot. Otherwise (rank sampler, or the table-scan baseline) the
        // exact distribution over every free item is computed once per lease.
        boolean treeDraws = config.usesBuffer() && properties.samplingIndex() && index.drawsSoftmax();
        FreeItems pool = !config.usesBuffer() || treeDraws
                ? FreeItems.none()
                : properties.samplingIndex() ? index.free(nowMillis) : scanFreeItems(experimentId);
        BufferSampler sampler = config.bufferSampler();
        var draws = new DrawsWithoutReplacement(
                pool.ids().isEmpty() ? new double[0] : sampler.probabilities(pool.candidates(), version));

        // 1. Where each slot comes from: a buffer item or a base task (Algorithm 1, step 1).
        var bufferPicks = new ArrayList<Long>(); // stored instance ids, in slot order
        var picked = new HashSet<Long>();
        int basePicks = 0;
        var order = new ArrayList<Boolean>(); // per slot: true = buffer
        for (int slot = 0; slot < size; slot++) {
            var source = InstanceChoice.choose(
                    config.usesBuffer(),
                    index.size(),
                    config.bufferMinSize(),
                    config.selectProbability(),
                    streams.choice);
            long pick = -1;
            if (source == InstanceChoice.Source.BUFFER) {
                if (treeDraws) {
                    pick = index.drawFree(streams.choice, nowMillis, picked);
                } else if (draws.hasMore()) {
                    pick = pool.ids().get(draws.next(streams.choice));
                }
            }
            if (pick >= 0) {
                bufferPicks.add(pick);
                picked.add(pick);
            } else {
                basePicks++;
            }
            order.add(pick >= 0);
        }

        // 2. Buffer picks: read them in one query, then select a turn prefix (step 2).
        Set<Long> taken = new HashSet<>();
        var fromBuffer = new ArrayList<Chosen>();
        if (!bufferPicks.isEmpty()) {
            var stored = instances.byIds(experimentId, bufferPicks).stream()
                    .collect(Collectors.toMap(StoredInstance::id, i -> i));
            var tasks = baseTasks.byIds(
                    experimentId,
                    stored.values().stream().map(StoredInstance::baseTaskId).toList());
            for (long id : bufferPicks) {
                var instance = stored.get(id);
                var task = tasks.get(instance.baseTaskId());
                var selected =
                        Selection.select(TaskInstance.of(task.task().ref(), instance.history()), streams.selection);
                boolean asStored = selected.history().equals(instance.history());
                Double parentQuality = ParentQuality.of(
                        experiment.domain(), task.task(), selected.history(), asStored ? instance.quality() : null);
                long selectedId = asStored
                        ? id
                        : instances.upsert(
                                experimentId,
                                instance.baseTaskId(),
                                instance.parentId(),
                                selected.history(),
                                null,
                                parentQuality);
                fromBuffer.add(
                        taken.add(selectedId)
                                ? new Chosen(selectedId, task, selected.history(), true, parentQuality)
                                : null);
            }
        }

        // 3. Base-task picks: uniform over the training split; a task whose depth-0 instance is leased (or already in
        //    this lease) is drawn again, in rounds, each round one query for the tasks and one for their instances.
        var fromBase = new ArrayList<Chosen>();
        var pending = new ArrayList<Integer>();
        for (int i = 0; i < basePicks; i++) {
            fromBase.add(null);
            pending.add(i);
        }
        for (int round = 0; round < BASE_TASK_REDRAWS && !pending.isEmpty(); round++) {
            var ordinals = new ArrayList<Integer>();
            for (int ignored : pending) {
                ordinals.add(InstanceChoice.baseTaskIndex(trainTasks, streams.choice));
            }
            var tasks = baseTasks.byOrdinals(experimentId, Split.TRAIN, new HashSet<>(ordinals));
            var rows = ordinals.stream()
                    .map(o -> new InstanceStore.NewInstance(tasks.get(o).id(), null, History.empty(), null, null))
                    .toList();
            var upserted = instances.upsertAll(experimentId, rows);
            var stillPending = new ArrayList<Integer>();
            for (int k = 0; k < pending.size(); k++) {
                var row = upserted.get(k);
                if (row.leasedUntilMillis() < nowMillis && taken.add(row.id())) {
                    fromBase.set(
                            pending.get(k),
                            new Chosen(row.id(), tasks.get(ordinals.get(k)), History.empty(), false, null));
                } else {
                    stillPending.add(pending.get(k));
                }
            }
            pending = stillPending;
        }

        // 4. Step kinds (step 3) and prompts, in slot order; slots that found nothing free are left out.
        var slots = new ArrayList<LeaseSlot>();
        var rewardMode = config.effectiveRewardMode();
        var sampled = new ArrayList<Long>(bufferPicks);
        int b = 0;
        int t = 0;
        for (boolean buffered : order) {
            Chosen chosen = buffered ? fromBuffer.get(b++) : fromBase.get(t++);
            if (chosen == null) {
                continue;
            }
            if (!buffered) {
                sampled.add(chosen.instanceId);
            }
            var instance = TaskInstance.of(chosen.task.task().ref(), chosen.history);
            // MLE: an improve step becomes a debug step when the previous iterate failed to run (the domain says).
            boolean previousFailed =
                    !chosen.history.isEmpty() && experiment.domain().attemptFailed(chosen.history.latest());
            StepKind kind = StepKindChoice.choose(
                    instance, config.effectiveDivergeProbability(), previousFailed, streams.kinds);
            String prompt = experiment.domain().renderPrompt(chosen.task.task(), kind, chosen.history);
            slots.add(new LeaseSlot(
                    slots.size(),
                    chosen.instanceId,
                    chosen.task.id(),
                    instance.depth(),
                    kind,
                    chosen.fromBuffer,
                    chosen.task.task(),
                    chosen.history,
                    prompt,
                    chosen.parentQuality,
                    rewardMode,
                    config.rolloutsPerPrompt()));
        }

        // 5. Record the lease: four statements whatever its size.
        UUID leaseId = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Duration duration = durationSeconds != null ? Duration.ofSeconds(durationSeconds) : properties.leaseDuration();
        Instant expiresAt = now.plus(duration);
        Long[] leasedIds = slots.stream().map(LeaseSlot::instanceId).toArray(Long[]::new);
        jdbc.sql("""
                        WITH l AS (
                            INSERT INTO lease (id, experiment_id, worker_id, policy_version, status, created_at, expires_at)
                            VALUES (?, ?, ?, ?, 'ACTIVE', ?, ?) RETURNING id)
                        INSERT INTO lease_slot (lease_id, slot, instance_id, step_kind, from_buffer)
                        SELECT l.id, s.slot - 1, s.instance_id, s.step_kind, s.from_buffer
                          FROM l, unnest(?::bigint[], ?::text[], ?::boolean[]) WITH ORDINALITY AS s(instance_id, step_kind, from_buffer, slot)""")
                .param(leaseId)
                .param(experimentId)
                .param(workerId)
                .param(version)
                .param(Timestamp.from(now))
                .param(Timestamp.from(expiresAt))
                .param(leasedIds)
                .param(slots.stream().map(s -> s.stepKind().name()).toArray(String[]::new))
                .param(slots.stream().map(LeaseSlot::fromBuffer).toArray(Boolean[]::new))
                .update();
        jdbc.sql("UPDATE task_instance SET leased_by = ?, leased_until = ? WHERE id = ANY(?)")
                .param(leaseId)
                .param(Timestamp.from(expiresAt))
                .param(leasedIds)
                .update();
        for (long leased : leasedIds) {
            index.setLeasedUntil(leased, expiresAt.toEpochMilli());
        }
        jdbc.sql(
                        "UPDATE task_instance SET times_sampled = times_sampled + 1, last_sampled_version = ? WHERE id = ANY(?)")
                .param(version)
                .param(sampled.toArray(Long[]::new))
                .update();
        for (long id : sampled) {
            index.markSampled(id, version);
        }
        jdbc.sql("UPDATE experiment SET lease_count = lease_count + 1 WHERE id = ?")
                .param(experimentId)
                .update();
        return new LeaseView(leaseId, experimentId, workerId, version, expiresAt, slots);
    }

    @Transactional
    public void release(UUID experimentId, UUID leaseId) {
        var experiment = locks.lock(experimentId);
        int updated = jdbc.sql("UPDATE lease SET status = 'RELEASED', closed_at = now()"
                        + " WHERE id = ? AND experiment_id = ? AND status = 'ACTIVE'")
                .param(leaseId)
                .param(experimentId)
                .update();
        if (updated == 0) {
            boolean exists = jdbc.sql("SELECT count(*) FROM lease WHERE id = ? AND experiment_id = ?")
                            .param(leaseId)
                            .param(experimentId)
                            .query(Integer.class)
                            .single()
                    > 0;
            if (!exists) {
                throw new NotFoundException("lease", leaseId);
            }
            return; // already closed: releasing again changes nothing
        }
        var index = indexes.forUpdate(experiment);
        jdbc.sql("UPDATE task_instance SET leased_by = NULL, leased_until = NULL WHERE leased_by = ? RETURNING id")
                .param(leaseId)
                .query(Long.class)
                .list()
                .forEach(id -> index.setLeasedUntil(id, 0));
    }

    /** Expired leases give their instances back; called inside every lease transaction and by the reaper. */
    void reclaimExpired(UUID experimentId) {
        jdbc.sql("UPDATE lease SET status = 'EXPIRED', closed_at = now()"
                        + " WHERE experiment_id = ? AND status = 'ACTIVE' AND expires_at < now()")
                .param(experimentId)
                .update();
        jdbc.sql("UPDATE task_instance SET leased_by = NULL, leased_until = NULL"
                        + " WHERE experiment_id = ? AND leased_by IS NOT NULL AND leased_until < now()")
                .param(experimentId)
                .update();
    }

    /**
     * The random streams of lease number L: one for sources and draws, one for turn-prefix selection, one for step
     * kinds. Each is a SplittableRandom keyed by (seed, L, stream), so batching the database work in phases does
     * not change which numbers each decision sees.
     */
    static final class Streams {
        final SplittableRandom choice;
        final SplittableRandom selection;
        final SplittableRandom kinds;

        Streams(long seed, long leaseNumber) {
            var root =
                    new SplittableRandom(seed * 0x9E3779B97F4A7C15L + leaseNumber * 0xC2B2AE3D27D4EB4FL + leaseNumber);
            choice = root.split();
            selection = root.split();
            kinds = root.split();
        }
    }

    /** The baseline: every free buffered row, read per lease in insertion order (what the index mirrors). */
    private FreeItems scanFreeItems(UUID experimentId) {
        var ids = new ArrayList<Long>();
        var candidates = new ArrayList<Candidate>();
        jdbc.sql("""
                SELECT id, score, coalesce(last_sampled_version, 0) AS last_sampled
                  FROM task_instance
                 WHERE experiment_id = ? AND in_buffer AND (leased_by IS NULL OR leased_until < now())
                 ORDER BY insertion_seq""").param(experimentId).query(rs -> {
            ids.add(rs.getLong(1));
            candidates.add(new Candidate(rs.getDouble(2), rs.getLong(3)));
        });
        return new FreeItems(ids, candidates);
    }

    private record Chosen(
            long instanceId, StoredBaseTask task, History history, boolean fromBuffer, Double parentQuality) {}
}
