package dev.exitrl.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.core.buffer.ChildPolicy;
import dev.exitrl.core.buffer.Expansion;
import dev.exitrl.core.buffer.InMemoryBuffer;
import dev.exitrl.core.buffer.LearnabilityScore;
import dev.exitrl.core.domain.TaskJson;
import dev.exitrl.core.sampling.Candidate;
import dev.exitrl.core.sampling.SoftmaxSampler;
import dev.exitrl.core.task.Group;
import dev.exitrl.core.task.PolicyVersion;
import dev.exitrl.core.task.Rollout;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.core.task.TaskInstance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL buffer decides exactly as exit-core's in-memory reference, and leases sample the distribution
 * that exit-core's sampler defines.
 */
class BufferAgreementTest extends TaskServiceTestBase {

    @Test
    void postgresBufferMatchesTheInMemoryReferenceGroupByGroup() {
        UUID id = api.runningExperiment("""
                {"domain":"countdown","preset":"exit","rolloutsPerPrompt":4,"bufferCapacity":12,"bufferMinSize":3,
                 "selectProbability":0.7,"childPolicy":"all","seed":5}""");
        api.ok(
                "/api/experiments/" + id + "/base-tasks/generate",
                Map.of("seed", 9, "difficulty", 1, "trainCount", 30, "testCount", 0));
        var reference = new InMemoryBuffer(12);
        var random = new SplittableRandom(2024);
        double[] grid = {0, 0.25, 0.5, 0.75, 1};
        int compared = 0;
        for (int step = 0; step < 150; step++) {
            var lease = api.ok("/api/experiments/" + id + "/leases", Map.of("workerId", "w", "size", 1));
            var slot = lease.get("slots").get(0);
            var parent = TaskInstance.of(
                    TaskJson.baseTaskFromTree(slot.get("baseTask")).ref(),
                    TaskJson.historyFromTree(slot.get("history")));
            var rollouts = new ArrayList<Rollout>();
            var submitted = new ArrayList<Map<String, Object>>();
            for (int i = 0; i < 4; i++) {
                double q = grid[random.nextInt(grid.length)];
                String response = "Answer: " + random.nextInt(6); // small vocabulary: duplicate children happen
                rollouts.add(new Rollout(parent.answeredWith(response, null), q, q));
                submitted.add(Map.of("response", response, "quality", q, "reward", q));
            }
            var outcome = api.ok(
                    "/api/experiments/" + id + "/groups",
                    Map.of(
                            "idempotencyKey",
                            "g" + step,
                            "leaseId",
                            lease.get("leaseId").asString(),
                            "slot",
                            0,
                            "policyVersion",
                            0,
                            "prompt",
                            "p",
                            "rollouts",
                            submitted));

            var group = new Group(
                    parent, StepKind.valueOf(slot.get("stepKind").asString()), PolicyVersion.INITIAL, rollouts);
            double score = LearnabilityScore.of(group.qualities());
            assertThat(outcome.get("score").asDouble()).isEqualTo(score);
            reference.update(parent, score, Expansion.children(group, ChildPolicy.ALL, random), 0);

            assertThat(postgresBuffer(id)).as("buffer after group %d", step).isEqualTo(referenceBuffer(reference));
            compared++;
        }
        assertThat(compared).isEqualTo(150);
        assertThat(reference.size()).isEqualTo(12); // the comparison ran through a full buffer with evictions
    }

    @Test
    void leaseFrequenciesFollowTheSoftmaxSampler() {
        UUID id = api.runningExperiment("""
                {"domain":"countdown","preset":"exit","rolloutsPerPrompt":4,"bufferCapacity":6,"bufferMinSize":1,
                 "selectProbability":1.0,"kappa":10,"seed":8}""");
        api.ok(
                "/api/experiments/" + id + "/base-tasks/generate",
                Map.of("seed", 10, "difficulty", 1, "trainCount", 6, "testCount", 0));
        // Six base tasks, each rolled out once with a different spread of qualities: scores 0 .. 0.25.
        double[][] qualities = {
            {0, 0, 0, 0}, {0, 0, 0, 1}, {0, 0, 1, 1}, {0, 0.5, 0.5, 1}, {0, 0.25, 0.5, 0.75}, {1, 1, 1, 0.5}
        };
        var lease = api.ok("/api/experiments/" + id + "/leases", Map.of("workerId", "w", "size", 6));
        assertThat(lease.get("slots").size()).isEqualTo(6);
        for (int i = 0; i < 6; i++) {
            var rollouts = new ArrayList<Map<String, Object>>();
            for (double q : qualities[i]) {
                rollouts.add(Map.of("response", "same", "quality", q, "reward", q));
            }
            api.ok(
                    "/api/experiments/" + id + "/groups",
                    Map.of(
                            "idempotencyKey",
                            "s" + i,
                            "leaseId",
                            lease.get("leaseId").asString(),
                            "slot",
                            i,
                            "policyVersion",
                            0,
                            "prompt",
                            "p",
                            "rollouts",
                            rollouts));
        }
        // The buffer now holds six items (each parent has one child "same"; the top-6 rule keeps six).
        var items = jdbc.sql(
                        "SELECT id, score FROM task_instance WHERE experiment_id = ? AND in_buffer ORDER BY insertion_seq")
                .param(id)
                .query((rs, n) -> Map.entry(rs.getLong(1), rs.getDouble(2)))
                .list();
        assertThat(items).hasSize(6);
        var candidates = items.stream().map(e -> new Candidate(e.getValue(), 0)).toList();
        double[] expected = new SoftmaxSampler(10).probabilities(candidates, 0);

        int draws = 2000;
        var counts = new HashMap<Long, Integer>();
        for (int i = 0; i < draws; i++) {
            var one = api.ok("/api/experiments/" + id + "/leases", Map.of("workerId", "w", "size", 1));
            counts.merge(one.get("slots").get(0).get("instanceId").asLong(), 1, Integer::sum);
            api.delete(
                    "/api/experiments/" + id + "/leases/" + one.get("leaseId").asString());
        }
        double chiSquare = 0;
        for (int i = 0; i < items.size(); i++) {
            double e = expected[i] * draws;
            double o = counts.getOrDefault(items.get(i).getKey(), 0);
            chiSquare += (o - e) * (o - e) / e;
        }
        assertThat(counts.keySet())
                .allMatch(k -> items.stream().anyMatch(e -> e.getKey().equals(k)));
        // 5 degrees of freedom: P(chi2 > 20.52) = 0.001
        assertThat(chiSquare).isLessThan(20.52);
        // ...and the test can tell: under a uniform draw the same counts would be far off for these scores.
        double uniformChi = 0;
        for (var item : items) {
            double o = counts.getOrDefault(item.getKey(), 0);
            uniformChi += (o - draws / 6.0) * (o - draws / 6.0) / (draws / 6.0);
        }
        assertThat(uniformChi).isGreaterThan(chiSquare);
    }

    private Map<String, Double> postgresBuffer(UUID id) {
        var out = new TreeMap<String, Double>();
        jdbc.sql("""
                SELECT b.task_key, t.history::text, t.score FROM task_instance t JOIN base_task b ON b.id = t.base_task_id
                 WHERE t.experiment_id = ? AND t.in_buffer""").param(id).query(rs -> {
            out.put(
                    rs.getString(1) + "|" + TaskJson.toJson(TaskJson.historyFromJson(rs.getString(2))),
                    rs.getDouble(3));
        });
        return out;
    }

    private static Map<String, Double> referenceBuffer(InMemoryBuffer buffer) {
        var out = new TreeMap<String, Double>();
        buffer.items()
                .forEach(item -> out.put(
                        item.instance().task().taskId() + "|"
                                + TaskJson.toJson(item.instance().history()),
                        item.score()));
        return out;
    }
}
