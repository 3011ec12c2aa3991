package dev.exitrl.task.lease;

import dev.exitrl.core.buffer.Selection;
import dev.exitrl.core.plan.BatchPlanner;
import dev.exitrl.core.sampling.BufferSampler;
import dev.exitrl.core.sampling.DrawsWithoutReplacement;
import dev.exitrl.core.sampling.InstanceChoice;
import dev.exitrl.core.sampling.StepKindChoice;
import dev.exitrl.core.task.History;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.core.task.TaskInstance;
import dev.exitrl.task.basetask.StoredBaseTask;
import dev.exitrl.task.space.BufferIndex;
import dev.exitrl.task.space.BufferIndex.FreeItems;
import dev.exitrl.task.space.InstanceStore;
import dev.exitrl.task.space.LockedExperiment;
import dev.exitrl.task.space.ParentQuality;
import dev.exitrl.task.space.StoredInstance;
import dev.exitrl.taskapi.LeaseSlot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Plans a lease's slots per ExIt (Algorithm 1, steps 1-3): the decisions of a lease, without SQL and without Spring.
 * It follows exit-core's reference {@link BatchPlanner} (its random-stream contract and draws; the agreement test
 * replays the same inputs into both) and differs only in how it gets there:
 *
 * <ul>
 *   <li>Buffer draws: with the paper's softmax sampler each slot descends the weight tree of the in-memory buffer
 *       mirror ({@link BufferIndex#drawFree}, O(log N)); otherwise (rank sampler) the exact distribution over the
 *       mirror's free items is computed once per lease (O(N)).</li>
 *   <li>The rows it reads and the instances it creates go through {@link Rows} (the {@code LeaseStore} in SQL), in
 *       batches: whatever the lease size, a fixed handful of statements plus a round per base-task redraw.</li>
 *   <li>A slot also carries what a worker needs: the rendered prompt and the parent's quality
 *       ({@link ParentQuality}).</li>
 * </ul>
 */
final class LeasePlanner {
    /** What a plan reads, and the instance rows it makes sure exist; ids are task_instance ids. */
    interface Rows {
        Map<Long, StoredInstance> instances(List<Long> ids);

        Map<Long, StoredBaseTask> baseTasks(Collection<Long> ids);

        /** Training-split base tasks by ordinal. */
        Map<Integer, StoredBaseTask> trainTasks(Set<Integer> ordinals);

        /** The id of the instance of {@code from}'s base task with {@code history} (a turn prefix), made if new. */
        long prefixInstance(StoredInstance from, History history, Double parentQuality);

        /** The depth-0 instances of these base tasks, made if new; aligned with the argument. */
        List<InstanceStore.Upserted> baseInstances(List<Long> baseTaskIds);
    }

    /** A lease's slots, and the instances whose sampling counters it bumps (buffer draws, then base-task picks). */
    record Plan(List<LeaseSlot> slots, List<Long> sampled) {}

    /**
     * The random streams of lease number L: one for sources and draws, one for turn-prefix selection, one for step
     * kinds. Each is a SplittableRandom keyed by (seed, L, stream), so the same sequence of leases and submits makes
     * the same choices, and batching the database work in phases does not change which numbers each decision sees.
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

    private LeasePlanner() {}

    /**
     * @param trainTasks the number of training base tasks (at least 1)
     * @param scanned    the free buffer items read from the table instead of the index (the benchmark's baseline);
     *                   null in production
     */
    static Plan plan(
            LockedExperiment experiment,
            int size,
            int trainTasks,
            BufferIndex index,
            FreeItems scanned,
            Streams streams,
            long nowMillis,
            Rows rows) {
        var config = experiment.config();
        long version = experiment.policyVersion();
        // Softmax over the index: O(log N) per slot. Otherwise the exact distribution over every free item.
        boolean treeDraws = config.usesBuffer() && scanned == null && index.drawsSoftmax();
        FreeItems pool = !config.usesBuffer() || treeDraws
                ? FreeItems.none()
                : scanned != null ? scanned : index.free(nowMillis);
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
            var stored = rows.instances(bufferPicks);
            var tasks = rows.baseTasks(
                    stored.values().stream().map(StoredInstance::baseTaskId).toList());
            for (long id : bufferPicks) {
                var instance = stored.get(id);
                var task = tasks.get(instance.baseTaskId());
                var selected =
                        Selection.select(TaskInstance.of(task.task().ref(), instance.history()), streams.selection);
                boolean asStored = selected.history().equals(instance.history());
                Double parentQuality = ParentQuality.of(
                        experiment.domain(), task.task(), selected.history(), asStored ? instance.quality() : null);
                long selectedId = asStored ? id : rows.prefixInstance(instance, selected.history(), parentQuality);
                fromBuffer.add(
                        taken.add(selectedId)
                                ? new Chosen(selectedId, task, selected.history(), true, parentQuality)
                                : null);
            }
        }

        // 3. Base-task picks: uniform over the training split; a task whose depth-0 instance is leased (or already in
        //    this lease) is drawn again, in rounds, each round one read of the tasks and one of their instances.
        var fromBase = new ArrayList<Chosen>();
        var pending = new ArrayList<Integer>();
        for (int i = 0; i < basePicks; i++) {
            fromBase.add(null);
            pending.add(i);
        }
        for (int round = 0; round < BatchPlanner.BASE_TASK_REDRAWS && !pending.isEmpty(); round++) {
            var ordinals = new ArrayList<Integer>();
            for (int ignored : pending) {
                ordinals.add(InstanceChoice.baseTaskIndex(trainTasks, streams.choice));
            }
            var tasks = rows.trainTasks(new HashSet<>(ordinals));
            var upserted = rows.baseInstances(
                    ordinals.stream().map(o -> tasks.get(o).id()).toList());
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
        return new Plan(slots, sampled);
    }

    private record Chosen(
            long instanceId, StoredBaseTask task, History history, boolean fromBuffer, Double parentQuality) {}
}
