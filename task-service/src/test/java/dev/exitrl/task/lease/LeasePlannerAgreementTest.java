package dev.exitrl.task.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.core.buffer.BufferItem;
import dev.exitrl.core.domain.BaseTask;
import dev.exitrl.core.domain.Domain;
import dev.exitrl.core.domain.DomainRegistry;
import dev.exitrl.core.domain.GeneratorSpec;
import dev.exitrl.core.experiment.ExperimentConfig;
import dev.exitrl.core.experiment.ExperimentRequests;
import dev.exitrl.core.plan.BatchPlanner;
import dev.exitrl.core.sampling.SoftmaxSampler;
import dev.exitrl.core.task.History;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.core.task.TaskInstance;
import dev.exitrl.core.task.Turn;
import dev.exitrl.task.basetask.StoredBaseTask;
import dev.exitrl.task.space.BufferIndex;
import dev.exitrl.task.space.InstanceStore;
import dev.exitrl.task.space.LockedExperiment;
import dev.exitrl.task.space.StoredInstance;
import dev.exitrl.taskapi.LeaseSlot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The lease planner decides exactly as exit-core's reference {@link BatchPlanner}: the same task space (buffer items
 * with multi-turn histories, leased buffer items and base tasks) and the same seeded streams, lease after lease, give
 * the same slots (instance, source, step kind) and bump the same sampling counters. Each plan is then applied to
 * both (its instances leased, its draws marked sampled), and some old leases are released, so later leases plan
 * over a task space that earlier ones changed.
 */
class LeasePlannerAgreementTest {
    static final long NOW = 1_000_000;
    /** The policy version: the staleness clock (leases mark what they draw with their number, below it). */
    static final long VERSION = 100;

    static final JsonMapper JSON = JsonMapper.builder().build();

    @ParameterizedTest
    @ValueSource(
            strings = {
                // the paper's softmax sampler: the index's weight tree
                """
                {"domain":"countdown","preset":"exit","bufferCapacity":400,"bufferMinSize":5,"selectProbability":0.7,
                 "kappa":10,"seed":3}""",
                // the rank sampler: the exact distribution over the free items, with staleness
                """
                {"domain":"countdown","preset":"exit","bufferCapacity":400,"bufferMinSize":5,"selectProbability":0.8,
                 "sampler":"rank","seed":4}""",
                // no divergence: improve steps only
                """
                {"domain":"countdown","preset":"improve","bufferCapacity":400,"bufferMinSize":5,"selectProbability":0.5,
                 "seed":5}""",
                // base tasks only
                """
                {"domain":"countdown","preset":"grpo","seed":6}""",
                // MLE: a failed attempt makes the next step a DEBUG step
                """
                {"domain":"mle","preset":"exit","bufferCapacity":400,"bufferMinSize":5,"selectProbability":0.9,
                 "seed":7}"""
            })
    void thePlannerMakesTheReferencesPlanLeaseAfterLease(String configJson) {
        var result = ExperimentRequests.read(JSON, JSON.readTree(configJson));
        assertThat(result.violations()).isEmpty();
        ExperimentConfig config = result.config();
        Domain domain = DomainRegistry.builtIn().get(config.domain());
        var world = new World(config, domain, new SplittableRandom(config.seed()));
        var experiment = new LockedExperiment(UUID.randomUUID(), null, config.seed(), VERSION, 0, 0, config, domain);

        var kinds = EnumSet.noneOf(StepKind.class);
        int bufferSlots = 0;
        int shortLeases = 0;
        for (int lease = 0; lease < 60; lease++) {
            int size = 1 + world.random.nextInt(12);
            var plan = LeasePlanner.plan(
                    experiment,
                    size,
                    world.trainTasks.size(),
                    world.index,
                    null,
                    new LeasePlanner.Streams(config.seed(), lease),
                    NOW,
                    world);
            var streams = new LeasePlanner.Streams(config.seed(), lease);
            var reference = BatchPlanner.plan(
                    size,
                    config,
                    domain,
                    world.bufferItems(),
                    world.trainTasks.stream().map(StoredBaseTask::task).toList(),
                    world::leased,
                    VERSION,
                    new BatchPlanner.Streams(streams.choice, streams.selection, streams.kinds));

            assertThat(plan.slots().stream().map(world::planned).toList())
                    .as("slots of lease %d", lease)
                    .isEqualTo(reference.slots());
            assertThat(plan.sampled().stream().map(world::instance).toList())
                    .as("sampled by lease %d", lease)
                    .isEqualTo(reference.sampled());
            for (LeaseSlot slot : plan.slots()) {
                kinds.add(slot.stepKind());
                bufferSlots += slot.fromBuffer() ? 1 : 0;
                assertThat(slot.prompt())
                        .isEqualTo(domain.renderPrompt(slot.baseTask(), slot.stepKind(), slot.history()));
            }
            shortLeases += plan.slots().size() < size ? 1 : 0;
            world.apply(plan, lease);
        }
        // The comparison covered what the config can do.
        if (config.usesBuffer()) {
            assertThat(bufferSlots).as("slots from the buffer").isPositive();
            assertThat(kinds).contains(StepKind.SOLVE, StepKind.IMPROVE);
        } else {
            assertThat(kinds).containsExactly(StepKind.SOLVE);
        }
        if (config.effectiveDivergeProbability() > 0) {
            assertThat(kinds).contains(StepKind.DIVERGE);
        }
        if (config.domain().equals("mle")) {
            assertThat(kinds).contains(StepKind.DEBUG);
        }
        assertThat(shortLeases).as("leases that ran out of free instances").isPositive();
    }

    /**
     * A task space in memory: instance rows (the planner's {@link LeasePlanner.Rows}), their lease expiry, the buffer
     * as an index for the planner and as items for the reference.
     */
    static final class World implements LeasePlanner.Rows {
        final SplittableRandom random;
        final List<StoredBaseTask> trainTasks = new ArrayList<>();
        final Map<Long, StoredBaseTask> tasksById = new HashMap<>();
        final Map<Long, StoredInstance> rows = new HashMap<>();
        final Map<TaskInstance, Long> ids = new HashMap<>();
        final Map<Long, Long> leasedUntil = new HashMap<>();
        final List<BufferItem> buffer = new ArrayList<>(); // insertion order
        final Map<Long, List<Long>> leases = new HashMap<>();
        final BufferIndex index;
        long nextId = 1;

        World(ExperimentConfig config, Domain domain, SplittableRandom random) {
            this.random = random;
            this.index = new BufferIndex(0, config.bufferSampler() instanceof SoftmaxSampler softmax ? softmax : null);
            List<BaseTask> tasks =
                    domain.generate(new GeneratorSpec(config.seed(), 1, 24, 0)).train();
            for (int i = 0; i < tasks.size(); i++) {
                var stored = new StoredBaseTask(1000 + i, i, tasks.get(i));
                trainTasks.add(stored);
                tasksById.put(stored.id(), stored);
            }
            if (!config.usesBuffer()) {
                return;
            }
            // Buffered instances with 1-3 turns from a small vocabulary (so turn prefixes coincide), some failed.
            for (int seq = 1; seq <= 120; seq++) {
                var task = trainTasks.get(random.nextInt(trainTasks.size()));
                var turns = new ArrayList<Turn>();
                int count = 1 + random.nextInt(3);
                for (int k = 1; k <= count; k++) {
                    String feedback = random.nextInt(4) == 0 ? "ERROR: it did not run" : null;
                    turns.add(new Turn("answer " + random.nextInt(3), k, feedback));
                }
                var instance = TaskInstance.of(task.task().ref(), new History(turns));
                if (ids.containsKey(instance)) {
                    continue;
                }
                long id = row(task.id(), instance, random.nextInt(3) == 0 ? null : 0.5);
                double score = random.nextInt(9) / 32.0;
                long sampled = random.nextInt(5);
                buffer.add(new BufferItem(instance, score, seq, sampled));
                index.add(id, score, sampled, 0, seq);
            }
            // Some depth-0 instances exist already, a few of them leased by an earlier lease.
            for (var task : trainTasks) {
                if (random.nextInt(3) == 0) {
                    long id = row(task.id(), TaskInstance.base(task.task().ref()), null);
                    if (random.nextBoolean()) {
                        leasedUntil.put(id, NOW + 60_000);
                    }
                }
            }
        }

        private long row(long baseTaskId, TaskInstance instance, Double quality) {
            long id = nextId++;
            rows.put(
                    id,
                    new StoredInstance(
                            id,
                            baseTaskId,
                            null,
                            instance.depth(),
                            instance.history(),
                            null,
                            quality,
                            null,
                            false,
                            0,
                            null));
            ids.put(instance, id);
            return id;
        }

        TaskInstance instance(long id) {
            var row = rows.get(id);
            return TaskInstance.of(tasksById.get(row.baseTaskId()).task().ref(), row.history());
        }

        boolean leased(TaskInstance instance) {
            Long id = ids.get(instance);
            return id != null && leasedUntil.getOrDefault(id, 0L) >= NOW;
        }

        List<BufferItem> bufferItems() {
            return List.copyOf(buffer);
        }

        BatchPlanner.PlannedSlot planned(LeaseSlot slot) {
            assertThat(instance(slot.instanceId()))
                    .isEqualTo(TaskInstance.of(slot.baseTask().ref(), slot.history()));
            return new BatchPlanner.PlannedSlot(instance(slot.instanceId()), slot.fromBuffer(), slot.stepKind());
        }

        /** The lease's effects: its instances leased, its draws sampled; every third lease releases an old one. */
        void apply(LeasePlanner.Plan plan, long lease) {
            var leased = plan.slots().stream().map(LeaseSlot::instanceId).toList();
            leases.put(lease, leased);
            for (long id : leased) {
                leasedUntil.put(id, NOW + 60_000);
                index.setLeasedUntil(id, NOW + 60_000);
            }
            for (long id : plan.sampled()) {
                index.markSampled(id, lease);
                var instance = instance(id);
                for (int i = 0; i < buffer.size(); i++) {
                    var item = buffer.get(i);
                    if (item.instance().equals(instance)) {
                        buffer.set(i, new BufferItem(instance, item.score(), item.insertionSeq(), lease));
                    }
                }
            }
            if (lease % 3 == 2) {
                for (long id : leases.remove(lease - 2)) {
                    leasedUntil.remove(id);
                    index.setLeasedUntil(id, 0);
                }
            }
        }

        @Override
        public Map<Long, StoredInstance> instances(List<Long> ids) {
            var out = new HashMap<Long, StoredInstance>();
            ids.forEach(id -> out.put(id, rows.get(id)));
            return out;
        }

        @Override
        public Map<Long, StoredBaseTask> baseTasks(Collection<Long> ids) {
            var out = new HashMap<Long, StoredBaseTask>();
            ids.forEach(id -> out.put(id, tasksById.get(id)));
            return out;
        }

        @Override
        public Map<Integer, StoredBaseTask> trainTasks(Set<Integer> ordinals) {
            var out = new HashMap<Integer, StoredBaseTask>();
            ordinals.forEach(o -> out.put(o, trainTasks.get(o)));
            return out;
        }

        @Override
        public long prefixInstance(StoredInstance from, History history, Double parentQuality) {
            var instance =
                    TaskInstance.of(tasksById.get(from.baseTaskId()).task().ref(), history);
            Long id = ids.get(instance);
            return id != null ? id : row(from.baseTaskId(), instance, parentQuality);
        }

        @Override
        public List<InstanceStore.Upserted> baseInstances(List<Long> baseTaskIds) {
            var out = new ArrayList<InstanceStore.Upserted>();
            for (long taskId : baseTaskIds) {
                var instance = TaskInstance.base(tasksById.get(taskId).task().ref());
                Long id = ids.get(instance);
                if (id == null) {
                    id = row(taskId, instance, null);
                }
                out.add(new InstanceStore.Upserted(id, leasedUntil.getOrDefault(id, 0L)));
            }
            return out;
        }
    }
}
