package dev.exitrl.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.core.sampling.Candidate;
import dev.exitrl.core.sampling.SoftmaxSampler;
import dev.exitrl.task.lease.TableScanBaseline;
import dev.exitrl.taskapi.GenerateTasks;
import dev.exitrl.taskapi.LeaseRequest;
import dev.exitrl.taskapi.RolloutRecord;
import dev.exitrl.taskapi.SubmitGroup;
import dev.exitrl.taskapi.SubmitGroups;
import dev.exitrl.testsupport.TestPostgres;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Task-space benchmark (run with {@code ./mvnw -B -Pbench -pl task-service -am verify}); prints a table.
 * Two task-services run on one PostgreSQL: one leases from the in-memory buffer index, the other reads the
 * buffer table per lease (the baseline). Each buffer size is filled directly in SQL, then both are measured in
 * the same run, next to exit-core's in-memory reference sampler on the same scores.
 * Set {@code -Dbench.sizes=100000,1000000} (default), {@code -Dbench.leases=40} and {@code -Dbench.groups=400} (groups
 * each of the four submitting clients submits).
 */
@Tag("bench")
class TaskSpaceBenchmark {
    record Row(String what, int buffer, String value) {}

    @Test
    void leaseSubmitAndMemory() throws Exception {
        int[] sizes = Arrays.stream(
                        System.getProperty("bench.sizes", "100000,1000000").split(","))
                .mapToInt(Integer::parseInt)
                .toArray();
        int leases = Integer.getInteger("bench.leases", 40);
        int groups = Integer.getInteger("bench.groups", 400); // per submitting client
        var db = TestPostgres.freshDatabase();
        var indexed = start(db, true);
        var scanning = start(db, false);
        var rows = new ArrayList<Row>();
        try {
            var jdbc = indexed.getBean(JdbcClient.class);
            for (int size : sizes) {
                var api = new TaskSpaceApi(port(indexed));
                UUID id = api.running("""
                        {"domain":"countdown","preset":"exit","rolloutsPerPrompt":8,"bufferCapacity":%d,"bufferMinSize":1,
                         "selectProbability":1.0,"seed":1}""".formatted(size));
                api.client.generateTasks(id, new GenerateTasks(1, 3, 1000, 0));
                long fill = System.nanoTime();
                fillBuffer(jdbc, id, size);
                rows.add(new Row("fill buffer in SQL (s)", size, fmt((System.nanoTime() - fill) / 1e9)));

                double heapBefore = usedHeapMb();
                double[] withIndex = leaseLatencies(api, id, leases);
                double indexMb = usedHeapMb() - heapBefore; // the indexed service built its buffer mirror
                double[] withScan = leaseLatencies(new TaskSpaceApi(port(scanning)), id, leases);
                rows.add(new Row(
                        "lease 128, index p50 / p99 (ms)",
                        size,
                        fmt(pct(withIndex, 50)) + " / " + fmt(pct(withIndex, 99))));
                rows.add(new Row(
                        "lease 128, table scan p50 / p99 (ms)",
                        size,
                        fmt(pct(withScan, 50)) + " / " + fmt(pct(withScan, 99))));
                rows.add(new Row("lease p50: scan / index", size, ratio(pct(withScan, 50) / pct(withIndex, 50))));
                rows.add(new Row("heap of the buffer mirror (MB)", size, fmt(indexMb)));

                double memory = inMemorySample128(jdbc, id, size);
                rows.add(new Row("exit-core in-memory sampler, 128 draws (ms)", size, fmt(memory)));
                rows.add(new Row("lease p50: index / in-memory reference", size, ratio(pct(withIndex, 50) / memory)));

                rows.add(new Row(
                        "submit groups/s (4 clients, G=8, one per request)",
                        size,
                        fmt(submitThroughput(api, id, 4, groups, false))));
                rows.add(new Row(
                        "submit groups/s (4 clients, G=8, a lease's 8 per request)",
                        size,
                        fmt(submitThroughput(api, id, 4, groups, true))));
                rows.add(new Row(
                        "server-side mean submit / lease time (ms)",
                        size,
                        fmt(meanMs(api, "exit_submit_latency_seconds")) + " / "
                                + fmt(meanMs(api, "exit_lease_latency_seconds"))));
                rows.add(new Row("heap of the bench JVM: 2 services + bench (MB)", size, fmt(usedHeapMb())));
            }
        } finally {
            indexed.close();
            scanning.close();
        }
        System.out.println();
        System.out.printf("%-60s %10s  %s%n", "task-space benchmark", "buffer", "value");
        rows.forEach(r -> System.out.printf("%-60s %10d  %s%n", r.what(), r.buffer(), r.value()));
    }

    private static ConfigurableApplicationContext start(TestPostgres.Connection db, boolean index) {
        // Command-line arguments: they outrank application.yml. The baseline reads the buffer table per lease.
        var builder = new SpringApplicationBuilder(TaskServiceApplication.class);
        if (!index) {
            builder.initializers(TableScanBaseline.initializer());
        }
        return builder.run(
                "--server.port=0",
                "--spring.datasource.url=" + db.jdbcUrl(),
                "--spring.datasource.username=" + db.username(),
                "--spring.datasource.password=" + db.password(),
                "--spring.datasource.hikari.maximum-pool-size=8",
                "--logging.level.root=WARN");
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** N buffered single-turn instances with scores spread over [0, 0.25], inserted in one statement. */
    private static void fillBuffer(JdbcClient jdbc, UUID id, int size) {
        jdbc.sql("""
                INSERT INTO task_instance (experiment_id, base_task_id, depth, history, history_hash, score, in_buffer,
                                           insertion_seq, last_sampled_version)
                SELECT ?, b.id, 1, jsonb_build_object('turns', jsonb_build_array(jsonb_build_object('response', 'r' || g, 'iterate', 1))),
                       md5('r' || g), (g % 1001) / 4000.0, true, nextval('buffer_insertion_seq'), 0
                  FROM generate_series(1, ?) g
                  JOIN base_task b ON b.experiment_id = ? AND b.split = 'TRAIN' AND b.ordinal = g % 1000""").param(id).param(size).param(id).update();
        jdbc.sql("UPDATE experiment SET buffer_version = buffer_version + 1 WHERE id = ?")
                .param(id)
                .update();
        jdbc.sql("ANALYZE task_instance").update();
    }

    private static double[] leaseLatencies(TaskSpaceApi api, UUID id, int count) {
        for (int warm = 0; warm < 10; warm++) {
            releaseAfter(api, id); // the first lease builds the index; JIT warm-up
        }
        double[] ms = new double[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            var leased = api.client.lease(id, new LeaseRequest("bench", 128, null));
            ms[i] = (System.nanoTime() - start) / 1e6;
            assertThat(leased.slots()).as("a full lease was timed").hasSize(128);
            api.client.releaseLease(id, leased.leaseId());
        }
        Arrays.sort(ms);
        return ms;
    }

    private static void releaseAfter(TaskSpaceApi api, UUID id) {
        var lease = api.client.lease(id, new LeaseRequest("bench", 128, null));
        api.client.releaseLease(id, lease.leaseId());
    }

    /**
     * exit-core's in-memory sampler on the same scores: what {@code InMemoryBuffer.sample} does per draw (the
     * exact distribution over all items, one inverse-CDF draw), 128 times; best of 5 runs. (Filling an
     * InMemoryBuffer itself is O(N) per offer, too slow to build at 1M.)
     */
    private static double inMemorySample128(JdbcClient jdbc, UUID id, int size) {
        List<Candidate> candidates = jdbc.sql(
                        "SELECT score FROM task_instance WHERE experiment_id = ? AND in_buffer ORDER BY insertion_seq")
                .param(id)
                .query((rs, n) -> new Candidate(rs.getDouble(1), 0))
                .list();
        var sampler = new SoftmaxSampler(10);
        var random = new SplittableRandom(1);
        double best = Double.MAX_VALUE;
        for (int run = 0; run < 5; run++) {
            long start = System.nanoTime();
            for (int i = 0; i < 128; i++) {
                sampler.sample(candidates, 0, random);
            }
            best = Math.min(best, (System.nanoTime() - start) / 1e6);
        }
        return best;
    }

    private static double submitThroughput(TaskSpaceApi api, UUID id, int clients, int groupsPerClient, boolean batched)
            throws Exception {
        var pool = Executors.newFixedThreadPool(clients);
        var done = new AtomicInteger();
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            futures.add(pool.submit(() -> {
                var random = new SplittableRandom(client);
                int n = 0;
                while (n < groupsPerClient) {
                    var lease = api.client.lease(id, new LeaseRequest("c" + client, 8, null));
                    var batch = new ArrayList<SubmitGroup>();
                    for (var slot : lease.slots()) {
                        var rollouts = new ArrayList<RolloutRecord>();
                        for (int i = 0; i < 8; i++) {
                            double q = random.nextInt(5) / 4.0;
                            rollouts.add(TaskSpaceApi.rollout(slot, "Answer: " + random.nextInt(1000), q));
                        }
                        var group = TaskSpaceApi.group(
                                "b" + client + "-" + n + "-" + System.nanoTime(), lease.leaseId(), slot, 0, rollouts);
                        if (batched) {
                            batch.add(group);
                        } else {
                            api.client.submitGroup(id, group);
                        }
                        n++;
                        done.incrementAndGet();
                    }
                    if (batched && !batch.isEmpty()) {
                        api.client.submitGroups(id, new SubmitGroups(batch));
                    }
                }
                return null;
            }));
        }
        for (var f : futures) {
            f.get();
        }
        pool.shutdown();
        assertThat(done.get()).isGreaterThanOrEqualTo(clients * groupsPerClient);
        return done.get() / ((System.nanoTime() - start) / 1e9);
    }

    /** Mean of a Micrometer timer from the indexed service's Prometheus endpoint (since it started). */
    private static double meanMs(TaskSpaceApi api, String timer) {
        double sum = 0;
        double count = 0;
        for (String line : api.get("/actuator/prometheus").text().split("\n")) {
            if (line.startsWith(timer + "_sum")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
            if (line.startsWith(timer + "_count")) {
                count += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return count == 0 ? Double.NaN : 1000 * sum / count;
    }

    private static double usedHeapMb() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1e6;
    }

    private static String ratio(double r) {
        return String.format("%.3fx", r);
    }

    private static double pct(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static String fmt(double v) {
        return String.format("%.1f", v);
    }
}
