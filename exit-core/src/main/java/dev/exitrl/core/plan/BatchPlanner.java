package dev.exitrl.core.plan;

import dev.exitrl.core.buffer.BufferItem;
import dev.exitrl.core.buffer.Selection;
import dev.exitrl.core.domain.BaseTask;
import dev.exitrl.core.domain.Domain;
import dev.exitrl.core.experiment.ExperimentConfig;
import dev.exitrl.core.sampling.BufferSampler;
import dev.exitrl.core.sampling.Candidate;
import dev.exitrl.core.sampling.DrawsWithoutReplacement;
import dev.exitrl.core.sampling.InstanceChoice;
import dev.exitrl.core.sampling.SoftmaxSampler;
import dev.exitrl.core.sampling.StepKindChoice;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.core.task.TaskInstance;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Algorithm 1, steps 1-3, for one batch of prompt slots, written plainly over a list of buffer items: the reference
 * for the task-service's lease planner, as {@link dev.exitrl.core.buffer.InMemoryBuffer} is for its buffer. Given the
 * same buffer, base tasks, leased instances and random streams, both plan the same slots.
 *
 * <p>Random-stream contract (what makes two implementations agree draw for draw):
 *
 * <ul>
 *   <li>{@code choice}: per slot in order, {@link InstanceChoice#choose} and, for a buffer slot, its buffer draw;
 *       after all slots, the base-task draws in rounds: each round one {@link InstanceChoice#baseTaskIndex} per
 *       still pending base slot, in slot order. A drawn task whose depth-0 instance is leased, or already planned
 *       in this batch, stays pending; after {@value #BASE_TASK_REDRAWS} rounds a pending slot is left out.</li>
 *   <li>{@code selection}: {@link Selection#select} per buffer draw, in slot order. A selected instance that is
 *       planned already leaves its slot out (not drawn again).</li>
 *   <li>{@code kinds}: {@link StepKindChoice#choose} per planned slot, in order (the domain says whether the latest
 *       attempt failed).</li>
 * </ul>
 *
 * <p>Buffer draws never repeat an item within a batch and never take a leased one. With the softmax sampler: a draw
 * over every buffered item by {@link SoftmaxSampler#weight} (one {@code nextDouble()}, inverse CDF in insertion
 * order), rejected and drawn again while it hits a leased or drawn item, at most {@value #MAX_REJECTIONS} times,
 * then one exact draw over the rest by weight. That is exactly the softmax over the free items, drawn the way an
 * O(log N) weight tree can. Any other sampler: its exact distribution over the free items
 * ({@link BufferSampler#probabilities}, staleness clock = the policy version), drawn without replacement
 * ({@link DrawsWithoutReplacement}).
 */
public final class BatchPlanner {
    /** Rounds of base-task draws before a slot whose draws all hit leased tasks is left out. */
    public static final int BASE_TASK_REDRAWS = 16;
    /** Rejected weight draws before the exact draw over the free items. */
    public static final int MAX_REJECTIONS = 64;

    private BatchPlanner() {}

    /** One planned prompt slot. */
    public record PlannedSlot(TaskInstance instance, boolean fromBuffer, StepKind kind) {}

    /**
     * A batch's plan: its slots in order, and the instances whose sampling counters it bumps (the buffer items drawn,
     * in draw order, then the planned base-task instances).
     */
    public record Plan(List<PlannedSlot> slots, List<TaskInstance> sampled) {}

    /** The three random streams of one batch. */
    public record Streams(RandomGenerator choice, RandomGenerator selection, RandomGenerator kinds) {}

    /**
     * @param buffer        the buffered items in insertion order
     * @param trainTasks    the training split's base tasks in ordinal order
     * @param leased        whether an instance is leased now (buffer items and depth-0 instances alike)
     * @param policyVersion the staleness clock of the sampler
     */
    public static Plan plan(
            int size,
            ExperimentConfig config,
            Domain domain,
            List<BufferItem> buffer,
            List<BaseTask> trainTasks,
            Predicate<TaskInstance> leased,
            long policyVersion,
            Streams streams) {
        BufferSampler sampler = config.bufferSampler();
        var free = buffer.stream().filter(i -> !leased.test(i.instance())).toList();
        DrawsWithoutReplacement exact = null;
        if (config.usesBuffer() && !(sampler instanceof SoftmaxSampler)) {
            exact = new DrawsWithoutReplacement(
                    free.isEmpty()
                            ? new double[0]
                            : sampler.probabilities(
                                    free.stream()
                                            .map(i -> new Candidate(i.score(), i.lastSampledIteration()))
                                            .toList(),
                                    policyVersion));
        }

        // Step 1: where each slot comes from.
        var drawn = new ArrayList<BufferItem>(); // null for a base-task slot
        var drawnSet = new HashSet<TaskInstance>();
        for (int slot = 0; slot < size; slot++) {
            var source = InstanceChoice.choose(
                    config.usesBuffer(),
                    buffer.size(),
                    config.bufferMinSize(),
                    config.selectProbability(),
                    streams.choice());
            BufferItem pick = null;
            if (source == InstanceChoice.Source.BUFFER) {
                if (sampler instanceof SoftmaxSampler softmax) {
                    pick = drawByWeight(softmax, buffer, i -> leased.test(i) || drawnSet.contains(i), streams.choice());
                } else if (exact.hasMore()) {
                    pick = free.get(exact.next(streams.choice()));
                }
            }
            drawn.add(pick);
            if (pick != null) {
                drawnSet.add(pick.instance());
            }
        }

        // Step 2: a turn prefix of each drawn item.
        var planned = new ArrayList<TaskInstance>(); // per slot; null = left out or pending base task
        var taken = new HashSet<TaskInstance>();
        var sampled = new ArrayList<TaskInstance>();
        for (BufferItem pick : drawn) {
            if (pick == null) {
                planned.add(null);
                continue;
            }
            sampled.add(pick.instance());
            var selected = Selection.select(pick.instance(), streams.selection());
            planned.add(taken.add(selected) ? selected : null);
        }

        // Base tasks, in rounds.
        var pending = new ArrayList<Integer>();
        for (int slot = 0; slot < size; slot++) {
            if (drawn.get(slot) == null) {
                pending.add(slot);
            }
        }
        for (int round = 0; round < BASE_TASK_REDRAWS && !pending.isEmpty(); round++) {
            var ordinals = new ArrayList<Integer>();
            for (int ignored : pending) {
                ordinals.add(InstanceChoice.baseTaskIndex(trainTasks.size(), streams.choice()));
            }
            var stillPending = new ArrayList<Integer>();
            for (int k = 0; k < pending.size(); k++) {
                var base = TaskInstance.base(trainTasks.get(ordinals.get(k)).ref());
                if (!leased.test(base) && taken.add(base)) {
                    planned.set(pending.get(k), base);
                } else {
                    stillPending.add(pending.get(k));
                }
            }
            pending = stillPending;
        }

        // Step 3: step kinds, in slot order.
        var slots = new ArrayList<PlannedSlot>();
        for (int slot = 0; slot < size; slot++) {
            var instance = planned.get(slot);
            if (instance == null) {
                continue;
            }
            boolean fromBuffer = drawn.get(slot) != null;
            if (!fromBuffer) {
                sampled.add(instance);
            }
            boolean previousFailed = !instance.history().isEmpty()
                    && domain.attemptFailed(instance.history().latest());
            var kind = StepKindChoice.choose(
                    instance, config.effectiveDivergeProbability(), previousFailed, streams.kinds());
            slots.add(new PlannedSlot(instance, fromBuffer, kind));
        }
        return new Plan(slots, sampled);
    }

    /** The softmax draw over the items that are not {@code excluded}, by rejection as described above. */
    private static BufferItem drawByWeight(
            SoftmaxSampler sampler, List<BufferItem> items, Predicate<TaskInstance> excluded, RandomGenerator random) {
        double[] weights =
                items.stream().mapToDouble(i -> sampler.weight(i.score())).toArray();
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        if (total > 0) {
            for (int attempt = 0; attempt < MAX_REJECTIONS; attempt++) {
                int at = inverseCdf(weights, random.nextDouble() * total, i -> true);
                if (!excluded.test(items.get(at).instance())) {
                    return items.get(at);
                }
            }
        }
        Predicate<Integer> eligible =
                i -> weights[i] > 0 && !excluded.test(items.get(i).instance());
        double rest = 0;
        for (int i = 0; i < weights.length; i++) {
            if (eligible.test(i)) {
                rest += weights[i];
            }
        }
        if (!(rest > 0)) {
            return null;
        }
        return items.get(inverseCdf(weights, random.nextDouble() * rest, eligible));
    }

    /**
     * The first eligible index whose cumulative weight exceeds {@code u}; rounding that leaves {@code u} past the
     * end gives the last eligible index.
     */
    private static int inverseCdf(double[] weights, double u, Predicate<Integer> eligible) {
        int last = -1;
        for (int i = 0; i < weights.length; i++) {
            if (!eligible.test(i) || weights[i] <= 0) {
                continue;
            }
            last = i;
            u -= weights[i];
            if (u < 0) {
                return i;
            }
        }
        return last;
    }
}
