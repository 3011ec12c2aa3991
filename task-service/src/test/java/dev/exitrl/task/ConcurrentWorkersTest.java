package dev.exitrl.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.task.space.BufferIndexes;
import dev.exitrl.task.space.ExperimentLocks;
import dev.exitrl.taskapi.GenerateTasks;
import dev.exitrl.taskapi.LeaseRequest;
import dev.exitrl.taskapi.RolloutRecord;
import dev.exitrl.taskapi.TaskSpaceClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Eight workers lease and submit at once over HTTP: no instance is leased to two workers at the same time, no
 * group is lost or stored twice (retried submits included), and the buffer never exceeds N.
 */
class ConcurrentWorkersTest extends TaskServiceTestBase {
    @Autowired
    TransactionTemplate transactions;

    @Autowired
    ExperimentLocks locks;

    @Autowired
    BufferIndexes indexes;

    static final int WORKERS = 8;
    static final int GROUPS_PER_WORKER = 250; // 2,000 groups in all
    static final int CAPACITY = 64;

    @Test
    void eightWorkersLeaseAndSubmitConcurrently() throws Exception {
        UUID id = api.running("""
                {"domain":"countdown","preset":"exit","rolloutsPerPrompt":4,"bufferCapacity":%d,"bufferMinSize":8,
                 "selectProbability":0.6,"seed":3}""".formatted(CAPACITY));
        api.client.generateTasks(id, new GenerateTasks(12, 2, 200, 0));

        var held = new ConcurrentHashMap<Long, String>(); // instance -> worker, while the test knows it is leased
        var doubleLeases = new CopyOnWriteArrayList<String>();
        var submittedKeys = ConcurrentHashMap.<String>newKeySet();
        var bufferSizes = new CopyOnWriteArrayList<Integer>();
        var retries = new AtomicInteger();

        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            String worker = "worker-" + w;
            var random = new SplittableRandom(w);
            futures.add(pool.submit(() -> {
                TaskSpaceClient client = new TaskSpaceApi(port).client;
                int done = 0;
                while (done < GROUPS_PER_WORKER) {
                    var lease = client.lease(id, new LeaseRequest(worker, 4, null));
                    for (var slot : lease.slots()) {
                        String previous = held.putIfAbsent(slot.instanceId(), worker);
                        if (previous != null) {
                            doubleLeases.add(slot.instanceId() + " held by " + previous + " leased to " + worker);
                        }
                    }
                    for (var slot : lease.slots()) {
                        if (done >= GROUPS_PER_WORKER) {
                            held.remove(slot.instanceId(), worker);
                            continue;
                        }
                        String key = worker + "-" + done;
                        var rollouts = new ArrayList<RolloutRecord>();
                        for (int i = 0; i < 4; i++) {
                            double q = random.nextInt(5) / 4.0;
                            // the reward the task space derives for the slot (revisions: from the parent's quality)
                            rollouts.add(TaskSpaceApi.rollout(slot, "Answer: " + random.nextInt(50), q));
                        }
                        var request = TaskSpaceApi.group(key, lease.leaseId(), slot, 0, rollouts);
                        // Release our own record before the submit: the service holds the lease until it commits.
                        held.remove(slot.instanceId(), worker);
                        var outcome = client.submitGroup(id, request);
                        bufferSizes.add(outcome.bufferSize());
                        if (random.nextInt(10) == 0) { // a retried submit (lost response): must change nothing
                            var replay = client.submitGroup(id, request);
                            assertThat(replay.replay()).isTrue();
                            assertThat(replay.groupId()).isEqualTo(outcome.groupId());
                            retries.incrementAndGet();
                        }
                        submittedKeys.add(key);
                        done++;
                    }
                    if (done >= GROUPS_PER_WORKER) {
                        client.releaseLease(id, lease.leaseId());
                    }
                }
                return null;
            }));
        }
        for (var f : futures) {
            f.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();

        assertThat(doubleLeases).isEmpty();
        assertThat(submittedKeys).hasSize(WORKERS * GROUPS_PER_WORKER);
        assertThat(retries.get()).isPositive();
        var stored = jdbc.sql("SELECT idempotency_key FROM rollout_group WHERE experiment_id = ?")
                .param(id)
                .query(String.class)
                .list();
        assertThat(stored).hasSize(WORKERS * GROUPS_PER_WORKER).doesNotHaveDuplicates();
        assertThat(Set.copyOf(stored)).isEqualTo(submittedKeys);
        assertThat(jdbc.sql("SELECT count(*) FROM training_queue WHERE experiment_id = ?")
                        .param(id)
                        .query(Integer.class)
                        .single())
                .isEqualTo(WORKERS * GROUPS_PER_WORKER);
        assertThat(bufferSizes).allMatch(size -> size <= CAPACITY);
        int inBuffer = jdbc.sql("SELECT count(*) FROM task_instance WHERE experiment_id = ? AND in_buffer")
                .param(id)
                .query(Integer.class)
                .single();
        assertThat(inBuffer).isEqualTo(CAPACITY);
        // The in-memory sampling index agrees with the table after all that concurrency.
        transactions.executeWithoutResult(tx -> {
            var experiment = locks.lock(id);
            var index = indexes.forUpdate(experiment);
            assertThat(index.size()).isEqualTo(inBuffer);
            var fromIndex = index.free(System.currentTimeMillis());
            var fromTable = jdbc.sql("SELECT id, score, coalesce(last_sampled_version, 0) FROM task_instance"
                            + " WHERE experiment_id = ? AND in_buffer AND (leased_by IS NULL OR leased_until < now())"
                            + " ORDER BY insertion_seq")
                    .param(id)
                    .query((rs, n) -> List.of(rs.getLong(1), rs.getDouble(2), rs.getLong(3)))
                    .list();
            var indexed = new ArrayList<List<Object>>();
            for (int i = 0; i < fromIndex.ids().size(); i++) {
                var c = fromIndex.candidates().get(i);
                indexed.add(List.of(fromIndex.ids().get(i), c.score(), c.lastSampledIteration()));
            }
            assertThat(indexed).isEqualTo(fromTable);
        });
        // Every slot either produced a group or was released: nothing stays leased.
        assertThat(jdbc.sql("SELECT count(*) FROM task_instance WHERE experiment_id = ? AND leased_by IS NOT NULL")
                        .param(id)
                        .query(Integer.class)
                        .single())
                .isZero();
    }
}
