package dev.exitrl.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.core.buffer.ChildPolicy;
import dev.exitrl.core.buffer.Expansion;
import dev.exitrl.core.buffer.InMemoryBuffer;
import dev.exitrl.core.domain.TaskJson;
import dev.exitrl.core.score.LearnabilityScore;
import dev.exitrl.core.task.Group;
import dev.exitrl.core.task.PolicyVersion;
import dev.exitrl.core.task.Rollout;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.core.task.TaskInstance;
import dev.exitrl.task.space.BufferIndexes;
import dev.exitrl.task.space.ExperimentLocks;
import dev.exitrl.testsupport.TestPostgres;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Horizontal scale of the task-service: two instances (two Spring contexts, two HTTP ports, two in-memory buffer
 * mirrors) on one PostgreSQL database, as a Deployment with {@code replicas: 2} runs them. Workers on both lease and
 * submit at once; leases are never double-assigned, no group is lost or stored twice, the buffer is exactly what
 * exit-core's single-instance reference makes of the same groups in commit order, and each instance's mirror
 * matches the table although the other instance changed the buffer under it.
 */
class TwoInstancesTest {
    static final int WORKERS_PER_INSTANCE = 3;
    static final int GROUPS_PER_WORKER = 50; // 300 groups in all
    static final int CAPACITY = 32;
    static final int G = 4;

    static final List<Instance> INSTANCES = new ArrayList<>();

    /** One running task-service: its context, port and HTTP client. */
    record Instance(ConfigurableApplicationContext context, int port, TaskSpaceApi api) {
        JdbcClient jdbc() {
            return context.getBean(JdbcClient.class);
        }
    }

    /** What a worker saw and sent for one group, to replay through the reference in commit (group id) order. */
    record Submitted(JsonNode slot, List<String> responses, double[] qualities) {}

    @BeforeAll
    static void startTwoInstancesOnOneDatabase() {
        var db = TestPostgres.freshDatabase();
        // One after the other: the first runs Flyway's migrations, the second finds the schema current.
        for (int i = 0; i < 2; i++) {
            // Command-line arguments: they win over application.yml (builder default properties would not).
            var context = new SpringApplicationBuilder(TaskServiceApplication.class)
                    .run(
                            "--server.port=0",
                            "--spring.datasource.url=" + db.jdbcUrl(),
                            "--spring.datasource.username=" + db.username(),
                            "--spring.datasource.password=" + db.password(),
                            // The reaper would reclaim leases mid-test on either instance; this test counts them.
                            "--exit.task.reap-interval=PT1H");
            int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
            INSTANCES.add(new Instance(context, port, new TaskSpaceApi(port)));
        }
    }

    @AfterAll
    static void stop() {
        INSTANCES.forEach(i -> i.context().close());
        INSTANCES.clear();
    }

    @Test
    void workersOnTwoInstancesShareOneTaskSpace() throws Exception {
        var a = INSTANCES.get(0);
        UUID id = a.api().runningExperiment("""
                {"domain":"countdown","preset":"exit","rewardMode":"absolute","rolloutsPerPrompt":%d,"bufferCapacity":%d,"bufferMinSize":8,
                 "selectProbability":0.6,"childPolicy":"all","seed":4}""".formatted(G, CAPACITY));
        a.api()
                .ok(
                        "/api/experiments/" + id + "/base-tasks/generate",
                        Map.of("seed", 13, "difficulty", 2, "trainCount", 150, "testCount", 0));

        var held = new ConcurrentHashMap<Long, String>(); // instance -> worker, while the test knows it is leased
        var doubleLeases = new CopyOnWriteArrayList<String>();
        var byGroupId = new ConcurrentSkipListMap<Long, Submitted>();
        var submittedKeys = ConcurrentHashMap.<String>newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(2 * WORKERS_PER_INSTANCE);
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < 2 * WORKERS_PER_INSTANCE; w++) {
            var client = new TaskSpaceApi(INSTANCES.get(w % 2).port()); // alternate: workers on both instances
            String worker = "worker-" + w + "@" + (w % 2 == 0 ? "a" : "b");
            var random = new SplittableRandom(w);
            futures.add(pool.submit(() -> {
                int done = 0;
                while (done < GROUPS_PER_WORKER) {
                    var lease = client.ok("/api/experiments/" + id + "/leases", Map.of("workerId", worker, "size", 4));
                    for (var slot : lease.get("slots")) {
                        String previous =
                                held.putIfAbsent(slot.get("instanceId").asLong(), worker);
                        if (previous != null) {
                            doubleLeases.add(slot.get("instanceId") + " held by " + previous + ", leased to " + worker);
                        }
                    }
                    for (var slot : lease.get("slots")) {
                        long instance = slot.get("instanceId").asLong();
                        if (done >= GROUPS_PER_WORKER) {
                            held.remove(instance, worker);
                            continue;
                        }
                        String key = worker + "-" + done;
                        var responses = new ArrayList<String>();
                        double[] qualities = new double[G];
                        var rollouts = new ArrayList<Map<String, Object>>();
                        for (int i = 0; i < G; i++) {
                            responses.add("Answer: " + random.nextInt(40));
                            qualities[i] = random.nextInt(5) / 4.0;
                            rollouts.add(Map.of(
                                    "response", responses.get(i), "quality", qualities[i], "reward", qualities[i]));
                        }
                        // Our own record ends before the submit: the service holds the lease until it commits.
                        held.remove(instance, worker);
                        var outcome = client.ok(
                                "/api/experiments/" + id + "/groups",
                                Map.of(
                                        "idempotencyKey",
                                        key,
                                        "leaseId",
                                        lease.get("leaseId").asString(),
                                        "slot",
                                        slot.get("slot").asInt(),
                                        "policyVersion",
                                        0,
                                        "rollouts",
                                        rollouts));
                        byGroupId.put(outcome.get("groupId").asLong(), new Submitted(slot, responses, qualities));
                        submittedKeys.add(key);
                        done++;
                    }
                    if (done >= GROUPS_PER_WORKER) {
                        client.delete("/api/experiments/" + id + "/leases/"
                                + lease.get("leaseId").asString());
                    }
                }
                return null;
            }));
        }
        for (var f : futures) {
            f.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();

        int total = 2 * WORKERS_PER_INSTANCE * GROUPS_PER_WORKER;
        var jdbc = a.jdbc();
        assertThat(doubleLeases).isEmpty();
        assertThat(byGroupId).hasSize(total);
        var stored = jdbc.sql("SELECT idempotency_key FROM rollout_group WHERE experiment_id = ?")
                .param(id)
                .query(String.class)
                .list();
        assertThat(stored).hasSize(total).doesNotHaveDuplicates();
        assertThat(Set.copyOf(stored)).isEqualTo(submittedKeys);
        assertThat(jdbc.sql("SELECT count(*) FROM training_queue WHERE experiment_id = ?")
                        .param(id)
                        .query(Integer.class)
                        .single())
                .isEqualTo(total);
        assertThat(jdbc.sql("SELECT count(*) FROM task_instance WHERE experiment_id = ? AND leased_by IS NOT NULL")
                        .param(id)
                        .query(Integer.class)
                        .single())
                .isZero();

        // The single-instance reference: exit-core's buffer fed the same groups in commit order. Group ids come
        // from a sequence read inside the transaction that holds the experiment's row lock, so their order is the
        // order in which the two instances' transactions changed the buffer.
        var reference = new InMemoryBuffer(CAPACITY);
        for (var submitted : byGroupId.values()) {
            var parent = TaskInstance.of(
                    TaskJson.baseTaskFromTree(submitted.slot().get("baseTask")).ref(),
                    TaskJson.historyFromTree(submitted.slot().get("history")));
            var rollouts = new ArrayList<Rollout>();
            for (int i = 0; i < G; i++) {
                rollouts.add(new Rollout(
                        parent.answeredWith(submitted.responses().get(i), null),
                        submitted.qualities()[i],
                        submitted.qualities()[i]));
            }
            var group = new Group(
                    parent,
                    StepKind.valueOf(submitted.slot().get("stepKind").asString()),
                    PolicyVersion.INITIAL,
                    rollouts);
            // ChildPolicy.ALL draws nothing at random, so the reference needs no seed of the service's.
            reference.update(
                    parent,
                    LearnabilityScore.of(group),
                    Expansion.children(group, ChildPolicy.ALL, new SplittableRandom(0)),
                    0);
        }
        assertThat(reference.size()).isEqualTo(CAPACITY); // the run went through a full buffer with evictions
        assertThat(BufferSnapshots.postgres(jdbc, id)).isEqualTo(BufferSnapshots.reference(reference));
        // What a lease on each instance samples from now: its mirror (kept, or rebuilt if the version moved on)
        // agrees with the table, although both instances changed the buffer.
        for (var instance : INSTANCES) {
            assertThat(mirror(instance, id))
                    .as("mirror of instance on port %d", instance.port())
                    .isEqualTo(table(jdbc, id));
        }
    }

    /**
     * A mirror must not be trusted after a rolled-back transaction on its own instance. The batch submit below
     * changes instance A's mirror with its first group (version v to v+1 in memory and in the row), then fails on its
     * second group, so PostgreSQL rolls the row back to v while A's mirror stays at v+1 with a change that never
     * happened. One instance alone is safe (its next lock reads v and rebuilds), but here instance B commits a lease
     * first, moving the row to v+1 with a different change; A then sees row v+1 = mirror v+1 and keeps the wrong
     * mirror.
     */
    @Test
    void mirrorIsRebuiltAfterARolledBackBatchWhenTheOtherInstanceCommitsMeanwhile() {
        var a = INSTANCES.get(0);
        var b = INSTANCES.get(1);
        UUID id = a.api().runningExperiment("""
                {"domain":"countdown","preset":"exit","rewardMode":"absolute","rolloutsPerPrompt":%d,"bufferCapacity":8,"bufferMinSize":1,
                 "selectProbability":0.5,"childPolicy":"all","seed":6}""".formatted(G));
        a.api()
                .ok(
                        "/api/experiments/" + id + "/base-tasks/generate",
                        Map.of("seed", 14, "difficulty", 1, "trainCount", 20, "testCount", 0));
        var lease = a.api().ok("/api/experiments/" + id + "/leases", Map.of("workerId", "a", "size", 2));
        String leaseId = lease.get("leaseId").asString();
        var good = group("good", leaseId, 0, G);
        var bad = group("bad", leaseId, 1, G - 1); // wrong G: rejected after the first group changed the mirror
        var rejected = a.api().post("/api/experiments/" + id + "/groups/batch", Map.of("groups", List.of(good, bad)));
        assertThat(rejected.status()).isEqualTo(400);
        assertThat(a.jdbc()
                        .sql("SELECT count(*) FROM rollout_group WHERE experiment_id = ?")
                        .param(id)
                        .query(Integer.class)
                        .single())
                .isZero();

        b.api().ok("/api/experiments/" + id + "/leases", Map.of("workerId", "b", "size", 2));

        assertThat(mirror(a, id)).isEqualTo(table(a.jdbc(), id));
    }

    private static Map<String, Object> group(String key, String leaseId, int slot, int rollouts) {
        var list = new ArrayList<Map<String, Object>>();
        for (int i = 0; i < rollouts; i++) {
            list.add(Map.of("response", "Answer: " + i, "quality", i % 2, "reward", i % 2));
        }
        return Map.of("idempotencyKey", key, "leaseId", leaseId, "slot", slot, "policyVersion", 0, "rollouts", list);
    }

    /** The instance's buffer mirror as a lease would find it: (id, score, last sampled version) per free item. */
    private static List<List<Object>> mirror(Instance instance, UUID id) {
        var out = new ArrayList<List<Object>>();
        instance.context().getBean(TransactionTemplate.class).executeWithoutResult(tx -> {
            var experiment = instance.context().getBean(ExperimentLocks.class).lock(id);
            var index = instance.context().getBean(BufferIndexes.class).forUpdate(experiment);
            var free = index.free(System.currentTimeMillis());
            for (int i = 0; i < free.ids().size(); i++) {
                var c = free.candidates().get(i);
                out.add(List.of(free.ids().get(i), c.score(), c.lastSampledIteration()));
            }
        });
        return out;
    }

    /** The same, read from the table. */
    private static List<List<Object>> table(JdbcClient jdbc, UUID id) {
        return jdbc.sql("SELECT id, score, coalesce(last_sampled_version, 0) FROM task_instance"
                        + " WHERE experiment_id = ? AND in_buffer AND (leased_by IS NULL OR leased_until < now())"
                        + " ORDER BY insertion_seq")
                .param(id)
                .query((rs, n) -> List.<Object>of(rs.getLong(1), rs.getDouble(2), rs.getLong(3)))
                .list();
    }
}
