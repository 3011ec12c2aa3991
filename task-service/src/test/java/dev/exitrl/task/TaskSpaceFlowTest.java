package dev.exitrl.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.task.lease.ExpiryReaper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** The task space's REST contract, end to end over HTTP against a real PostgreSQL. */
class TaskSpaceFlowTest extends TaskServiceTestBase {
    @Autowired
    ExpiryReaper reaper;

    static final String SMALL_EXIT = """
            {"domain":"countdown","preset":"exit","rolloutsPerPrompt":4,"bufferCapacity":8,"bufferMinSize":2,
             "selectProbability":0.5,"promptsPerBatch":4,"seed":11}""";

    @Test
    void leaseSubmitClaimAcknowledge() {
        UUID id = api.runningExperiment(SMALL_EXIT);
        var generated = api.ok(
                "/api/experiments/" + id + "/base-tasks/generate",
                Map.of("seed", 1, "difficulty", 1, "trainCount", 20, "testCount", 5));
        assertThat(generated.get("counts").get("TRAIN").asInt()).isEqualTo(20);
        assertThat(generated.get("counts").get("TEST").asInt()).isEqualTo(5);

        var lease = api.ok("/api/experiments/" + id + "/leases", Map.of("workerId", "w1", "size", 4));
        var slots = lease.get("slots");
        assertThat(slots.size()).isEqualTo(4);
        for (JsonNode slot : slots) {
            // An empty buffer: every slot is a base task to solve.
            assertThat(slot.get("stepKind").asString()).isEqualTo("SOLVE");
            assertThat(slot.get("depth").asInt()).isZero();
            assertThat(slot.get("fromBuffer").asBoolean()).isFalse();
            assertThat(slot.get("prompt").asString())
                    .contains(slot.get("baseTask").get("problem").asString());
        }
        String leaseId = lease.get("leaseId").asString();

        var outcomes = new ArrayList<JsonNode>();
        for (JsonNode slot : slots) {
            outcomes.add(api.ok(
                    "/api/experiments/" + id + "/groups",
                    submit(
                            "k-" + slot.get("slot").asInt(),
                            leaseId,
                            slot.get("slot").asInt(),
                            0.0,
                            1.0,
                            0.5,
                            0.5)));
        }
        // S = population variance of (0, 1, 0.5, 0.5) = 0.125
        assertThat(outcomes)
                .allSatisfy(o -> assertThat(o.get("score").asDouble()).isEqualTo(0.125));
        assertThat(outcomes.get(0).get("parent").asString()).isEqualTo("added");
        assertThat(outcomes.get(0).get("childrenOffered").asInt()).isEqualTo(3); // 4 responses, 3 distinct
        var last = outcomes.get(outcomes.size() - 1);
        assertThat(last.get("bufferSize").asInt()).isEqualTo(8); // capped at N
        assertThat(bufferCount(id)).isEqualTo(8);
        assertThat(jdbc.sql("SELECT status FROM lease WHERE id = ?::uuid")
                        .param(leaseId)
                        .query(String.class)
                        .single())
                .isEqualTo("COMPLETED");

        // The same idempotency key again changes nothing and answers as the first time.
        long groupsBefore = groupCount(id);
        var replay = api.ok("/api/experiments/" + id + "/groups", submit("k-0", leaseId, 0, 1.0, 1.0, 1.0, 1.0));
        assertThat(replay.get("replay").asBoolean()).isTrue();
        assertThat(replay.get("groupId").asLong())
                .isEqualTo(outcomes.get(0).get("groupId").asLong());
        assertThat(replay.get("score").asDouble()).isEqualTo(0.125);
        assertThat(groupCount(id)).isEqualTo(groupsBefore);

        // The buffer is ready (8 >= 2): later leases draw from it too and ask for revisions.
        var second = api.ok("/api/experiments/" + id + "/leases", Map.of("workerId", "w1", "size", 8));
        assertThat(second.get("slots").size()).isEqualTo(8);
        List<String> kinds = new ArrayList<>();
        second.get("slots").forEach(s -> kinds.add(s.get("stepKind").asString()));
        assertThat(kinds).anyMatch(k -> k.equals("IMPROVE") || k.equals("DIVERGE"));
        api.delete("/api/experiments/" + id + "/leases/" + second.get("leaseId").asString());

        var claim = api.ok("/api/experiments/" + id + "/training/claims", Map.of("maxGroups", 3));
        assertThat(claim.get("groups").size()).isEqualTo(3);
        var group = claim.get("groups").get(0);
        assertThat(group.get("rollouts").get("rollouts").size()).isEqualTo(4);
        assertThat(group.get("rollouts").get("rollouts").get(0).get("logProbs").size())
                .isEqualTo(2);
        var rest = api.ok("/api/experiments/" + id + "/training/claims", Map.of("maxGroups", 10));
        assertThat(rest.get("groups").size()).isEqualTo(1); // a claimed group is not handed out twice
        api.ok(
                "/api/experiments/" + id + "/training/claims/"
                        + claim.get("claimId").asString() + "/ack",
                "{}");
        var depth = api.get("/api/experiments/" + id + "/training/queue").body();
        assertThat(depth.get("consumed").asInt()).isEqualTo(3);
        assertThat(depth.get("claimed").asInt()).isEqualTo(1);
    }

    @Test
    void presetsDecideWhatEntersTheBuffer() {
        // grpo: no buffer at all; curriculum: re-scored base tasks only; exit with the rank sampler: children too.
        var expected = Map.of(
                "grpo", List.of("not-buffered", 0), "curriculum", List.of("added", 0), "exit", List.of("added", 3));
        for (var preset : List.of("grpo", "curriculum", "exit")) {
            UUID id = api.runningExperiment(
                    "{\"domain\":\"countdown\",\"preset\":\"" + preset + "\",\"rolloutsPerPrompt\":4,"
                            + "\"bufferCapacity\":16,\"bufferMinSize\":1,\"selectProbability\":0.5,\"sampler\":\"rank\",\"seed\":3}");
            api.ok(
                    "/api/experiments/" + id + "/base-tasks/generate",
                    Map.of("seed", 6, "difficulty", 1, "trainCount", 10, "testCount", 0));
            var outcomes = new ArrayList<JsonNode>();
            for (int round = 0; round < 4; round++) {
                var lease = api.ok("/api/experiments/" + id + "/leases", Map.of("workerId", "w", "size", 2));
                for (JsonNode slot : lease.get("slots")) {
                    outcomes.add(api.ok(
                            "/api/experiments/" + id + "/groups",
                            submit(
                                    preset + round + slot.get("slot"),
                                    lease.get("leaseId").asString(),
                                    slot.get("slot").asInt(),
                                    0,
                                    1,
                                    0.5,
                                    0.5)));
                }
            }
            var first = outcomes.get(0);
            assertThat(first.get("parent").asString())
                    .as(preset)
                    .isEqualTo(expected.get(preset).get(0));
            assertThat(first.get("childrenOffered").asInt())
                    .as(preset)
                    .isEqualTo(expected.get(preset).get(1));
            int buffered = bufferCount(id);
            switch (preset) {
                case "grpo" -> assertThat(buffered).isZero();
                case "curriculum" ->
                    assertThat(jdbc.sql("SELECT count(*) FROM task_instance WHERE experiment_id = ?"
                                            + " AND in_buffer AND depth > 0")
                                    .param(id)
                                    .query(Integer.class)
                                    .single())
                            .isZero();
                default -> assertThat(buffered).isGreaterThan(outcomes.size()); // parents and their children
            }
        }
    }

    @Test
    void staleGroupsAreDroppedAndCounted() {
        UUID id = api.runningExperiment(SMALL_EXIT); // maxStaleness 0: on-policy
        api.ok(
                "/api/experiments/" + id + "/base-tasks/generate",
                Map.of("seed", 2, "difficulty", 1, "trainCount", 10, "testCount", 0));
        var lease = api.ok("/api/experiments/" + id + "/leases", Map.of("workerId", "w", "size", 2));
        String leaseId = lease.get("leaseId").asString();
        api.ok("/api/experiments/" + id + "/groups", submit("a", leaseId, 0, 0, 1, 0, 1));
        api.ok("/api/experiments/" + id + "/policy-version", Map.of("version", 1));
        api.ok("/api/experiments/" + id + "/groups", withVersion(submit("b", leaseId, 1, 0, 1, 1, 1), 1));
        var claim = api.ok("/api/experiments/" + id + "/training/claims", Map.of("maxGroups", 10));
        assertThat(claim.get("droppedStale").asInt()).isEqualTo(1);
        assertThat(claim.get("groups").size()).isEqualTo(1);
        assertThat(claim.get("groups").get(0).get("policyVersion").asLong()).isEqualTo(1);
        assertThat(api.post("/api/experiments/" + id + "/policy-version", Map.of("version", 0))
                        .status())
                .isEqualTo(409);
    }

    @Test
    void batchSubmitIsOneTransaction() {
        UUID id = api.runningExperiment(SMALL_EXIT);
        api.ok(
                "/api/experiments/" + id + "/base-tasks/generate",
                Map.of("seed", 5, "difficulty", 1, "trainCount", 10, "testCount", 0));
        String leaseId = api.ok("/api/experiments/" + id + "/leases", Map.of("workerId", "w", "size", 3))
                .get("leaseId")
                .asString();
        var bad = api.post(
                "/api/experiments/" + id + "/groups/batch",
                Map.of("groups", List.of(submit("x0", leaseId, 0, 0, 1, 0, 1), submit("x1", leaseId, 1, 0, 1, 0, 2))));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(fields(bad.body())).containsExactly("groups[1].rollouts[3].quality");
        assertThat(groupCount(id)).isZero();

        var unknownSlot = api.post(
                "/api/experiments/" + id + "/groups/batch",
                Map.of("groups", List.of(submit("y0", leaseId, 0, 0, 1, 0, 1), submit("y1", leaseId, 7, 0, 1, 0, 1))));
        assertThat(unknownSlot.status()).isEqualTo(400);
        assertThat(fields(unknownSlot.body())).containsExactly("groups[1].slot");
        assertThat(groupCount(id)).isZero(); // the first group of that batch was rolled back too

        var outcomes = api.post(
                "/api/experiments/" + id + "/groups/batch",
                Map.of(
                        "groups",
                        List.of(
                                submit("z0", leaseId, 0, 0, 1, 0, 1),
                                submit("z1", leaseId, 1, 1, 1, 1, 1),
                                submit("z2", leaseId, 2, 0, 0, 0, 1))));
        assertThat(outcomes.status()).isEqualTo(200);
        assertThat(outcomes.body().size()).isEqualTo(3);
        assertThat(outcomes.body().get(1).get("score").asDouble()).isZero();
        assertThat(outcomes.body().get(2).get("score").asDouble()).isEqualTo(0.1875);
        assertThat(groupCount(id)).isEqualTo(3);
        assertThat(jdbc.sql("SELECT status FROM lease WHERE id = ?::uuid")
                        .param(leaseId)
                        .query(String.class)
                        .single())
                .isEqualTo("COMPLETED");
    }

    @Test
    void badInputIsA400NamingEveryField() {
        var response = api.post(
                "/api/experiments",
                "{\"name\":\"x\",\"config\":{\"domain\":\"countdown\",\"preset\":\"exit\",\"rolloutsPerPrompt\":1,\"kappa\":-2}}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(fields(response.body())).contains("config.rolloutsPerPrompt", "config.kappa");

        var unknown =
                api.post("/api/experiments", "{\"name\":\"x\",\"config\":{\"domain\":\"chess\",\"preset\":\"exit\"}}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(fields(unknown.body())).containsExactly("config.domain");
        assertThat(unknown.body().get("errors").get(0).get("message").asString())
                .contains("countdown", "math");

        UUID id = api.runningExperiment(SMALL_EXIT);
        var badLease = api.post("/api/experiments/" + id + "/leases", Map.of("workerId", "", "size", 0));
        assertThat(badLease.status()).isEqualTo(400);
        assertThat(fields(badLease.body())).contains("workerId", "size");

        var noTasks = api.post("/api/experiments/" + id + "/leases", Map.of("workerId", "w", "size", 1));
        assertThat(noTasks.status()).isEqualTo(409);

        api.ok(
                "/api/experiments/" + id + "/base-tasks/generate",
                Map.of("seed", 3, "difficulty", 1, "trainCount", 5, "testCount", 0));
        String leaseId = api.ok("/api/experiments/" + id + "/leases", Map.of("workerId", "w", "size", 1))
                .get("leaseId")
                .asString();
        var badQuality = api.post("/api/experiments/" + id + "/groups", submit("q", leaseId, 0, 1.5, 0, 0, 0));
        assertThat(badQuality.status()).isEqualTo(400);
        assertThat(fields(badQuality.body())).contains("rollouts[0].quality");
        var wrongG = api.post("/api/experiments/" + id + "/groups", submit("g", leaseId, 0, 1, 0));
        assertThat(wrongG.status()).isEqualTo(400);
        assertThat(fields(wrongG.body())).containsExactly("rollouts");
        var malformed = api.post("/api/experiments/" + id + "/groups", "{\"idempotencyKey\": 5, \"slot\": \"x\"}");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(fields(malformed.body())).containsExactly("slot");
        assertThat(groupCount(id)).isZero();

        var missing = api.get("/api/experiments/" + UUID.randomUUID());
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.contentType()).startsWith("application/problem+json");
    }

    @Test
    void leasesNeedARunningExperimentAndExpire() {
        var created = api.ok("/api/experiments", "{\"name\":\"t\",\"config\":" + SMALL_EXIT + "}");
        String id = created.get("id").asString();
        api.ok(
                "/api/experiments/" + id + "/base-tasks/generate",
                Map.of("seed", 4, "difficulty", 1, "trainCount", 1, "testCount", 0));
        assertThat(api.post("/api/experiments/" + id + "/leases", Map.of("workerId", "w", "size", 1))
                        .status())
                .isEqualTo(409);
        api.ok("/api/experiments/" + id + "/status", "{\"status\":\"RUNNING\"}");

        // One base task only: while it is leased nobody else gets it; once the lease expires it is served again.
        var first =
                api.ok("/api/experiments/" + id + "/leases", Map.of("workerId", "a", "size", 1, "durationSeconds", 1));
        assertThat(first.get("slots").size()).isEqualTo(1);
        var blocked = api.ok("/api/experiments/" + id + "/leases", Map.of("workerId", "b", "size", 1));
        assertThat(blocked.get("slots").size()).isZero();
        jdbc.sql("UPDATE lease SET expires_at = now() - interval '1 second' WHERE id = ?::uuid")
                .param(first.get("leaseId").asString())
                .update();
        jdbc.sql("UPDATE task_instance SET leased_until = now() - interval '1 second' WHERE leased_by = ?::uuid")
                .param(first.get("leaseId").asString())
                .update();
        var again = api.ok("/api/experiments/" + id + "/leases", Map.of("workerId", "b", "size", 1));
        assertThat(again.get("slots").get(0).get("instanceId").asLong())
                .isEqualTo(first.get("slots").get(0).get("instanceId").asLong());
        assertThat(jdbc.sql("SELECT status FROM lease WHERE id = ?::uuid")
                        .param(first.get("leaseId").asString())
                        .query(String.class)
                        .single())
                .isEqualTo("EXPIRED");
    }

    @Test
    void theReaperReclaimsExpiredLeasesAndClaimsWithoutNewTraffic() {
        UUID id = api.runningExperiment(SMALL_EXIT);
        api.ok(
                "/api/experiments/" + id + "/base-tasks/generate",
                Map.of("seed", 7, "difficulty", 1, "trainCount", 5, "testCount", 0));
        var lease = api.ok("/api/experiments/" + id + "/leases", Map.of("workerId", "w", "size", 2));
        String leaseId = lease.get("leaseId").asString();
        api.ok("/api/experiments/" + id + "/groups", submit("r0", leaseId, 0, 0, 1, 0, 1));
        var claim = api.ok("/api/experiments/" + id + "/training/claims", Map.of("maxGroups", 5));
        assertThat(claim.get("groups").size()).isEqualTo(1);
        // The worker and the trainer crash: their lease and claim run out.
        jdbc.sql("UPDATE lease SET expires_at = now() - interval '1 second' WHERE id = ?::uuid")
                .param(leaseId)
                .update();
        jdbc.sql("UPDATE task_instance SET leased_until = now() - interval '1 second' WHERE leased_by = ?::uuid")
                .param(leaseId)
                .update();
        jdbc.sql("UPDATE training_queue SET claim_expires_at = now() - interval '1 second' WHERE claim_id = ?::uuid")
                .param(claim.get("claimId").asString())
                .update();

        reaper.reap();

        assertThat(jdbc.sql("SELECT status FROM lease WHERE id = ?::uuid")
                        .param(leaseId)
                        .query(String.class)
                        .single())
                .isEqualTo("EXPIRED");
        assertThat(jdbc.sql("SELECT count(*) FROM task_instance WHERE experiment_id = ? AND leased_by IS NOT NULL")
                        .param(id)
                        .query(Integer.class)
                        .single())
                .isZero();
        assertThat(api.get("/api/experiments/" + id + "/training/queue")
                        .body()
                        .get("ready")
                        .asInt())
                .isEqualTo(1);
    }

    @Test
    void jsonLinesImportIsAllOrNothing() {
        UUID id = api.runningExperiment("{\"domain\":\"math\",\"preset\":\"grpo\"}");
        String bad = """
                {"problem": "What is 1+1?", "answer": "2"}
                {"problem": "What is 2+2?"}
                {"problem": "What is 3+3?", "answer": "6"}
                """;
        var rejected =
                api.post("/api/experiments/" + id + "/base-tasks/import?split=TEST", bad, "application/x-ndjson");
        assertThat(rejected.status()).isEqualTo(400);
        assertThat(fields(rejected.body())).containsExactly("line 2");
        assertThat(api.get("/api/experiments/" + id + "/base-tasks/counts")
                        .body()
                        .get("TEST")
                        .asInt())
                .isZero();

        String good = bad.replace("\"What is 2+2?\"}", "\"What is 2+2?\", \"answer\": \"4\"}");
        var imported =
                api.post("/api/experiments/" + id + "/base-tasks/import?split=TEST", good, "application/x-ndjson");
        assertThat(imported.status()).isEqualTo(200);
        assertThat(imported.body().get("added").asInt()).isEqualTo(3);
        var page = api.get("/api/experiments/" + id + "/base-tasks?split=TEST&limit=2")
                .body();
        assertThat(page.size()).isEqualTo(2);
        assertThat(page.get(0).get("task").get("problem").asString()).isEqualTo("What is 1+1?");
    }

    private Map<String, Object> submit(String key, String leaseId, int slot, double... qualities) {
        var rollouts = new ArrayList<Map<String, Object>>();
        for (double q : qualities) {
            rollouts.add(Map.of(
                    "response",
                    "Answer: " + q,
                    "quality",
                    q,
                    "reward",
                    q,
                    "tokenIds",
                    List.of(1, 2),
                    "logProbs",
                    List.of(-0.5, -0.25)));
        }
        return new HashMap<>(Map.of(
                "idempotencyKey",
                key,
                "leaseId",
                leaseId,
                "slot",
                slot,
                "policyVersion",
                0,
                "prompt",
                "p",
                "rollouts",
                rollouts));
    }

    private static Map<String, Object> withVersion(Map<String, Object> request, long version) {
        request.put("policyVersion", version);
        return request;
    }

    private static List<String> fields(JsonNode problem) {
        var fields = new ArrayList<String>();
        problem.get("errors").forEach(e -> fields.add(e.get("field").asString()));
        return fields;
    }

    private int bufferCount(UUID id) {
        return jdbc.sql("SELECT count(*) FROM task_instance WHERE experiment_id = ? AND in_buffer")
                .param(id)
                .query(Integer.class)
                .single();
    }

    private long groupCount(UUID id) {
        return jdbc.sql("SELECT count(*) FROM rollout_group WHERE experiment_id = ?")
                .param(id)
                .query(Long.class)
                .single();
    }
}
