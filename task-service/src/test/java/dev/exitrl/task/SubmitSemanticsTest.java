package dev.exitrl.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.exitrl.task.lease.ExpiryReaper;
import dev.exitrl.taskapi.GenerateTasks;
import dev.exitrl.taskapi.LeaseRequest;
import dev.exitrl.taskapi.LeaseView;
import dev.exitrl.taskapi.PolicyVersionRequest;
import dev.exitrl.taskapi.RolloutRecord;
import dev.exitrl.taskapi.SubmitGroup;
import dev.exitrl.testsupport.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.client.HttpClientErrorException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The exact submit semantics (issue "task-api"): every input listed there gets its status and a problem+json naming
 * the field, and a refused request writes nothing (row counts unchanged).
 */
@TestPropertySource(
        properties = {"exit.task.limits.max-response-chars=500", "exit.task.limits.max-request-bytes=65536"})
class SubmitSemanticsTest extends TaskServiceTestBase {
    static final String IMPROVING = """
            {"domain":"countdown","preset":"exit","rolloutsPerPrompt":2,"bufferCapacity":16,"bufferMinSize":1,
             "selectProbability":1.0,"promptsPerBatch":2,"seed":5}""";

    @Autowired
    ExpiryReaper reaper;

    UUID id;

    @BeforeEach
    void experiment() {
        id = api.running(IMPROVING);
        api.client.generateTasks(id, new GenerateTasks(1, 1, 6, 2));
    }

    @Test
    void nulCharactersAreRefusedNamingTheField() {
        long experiments = count("experiment");
        var name = api.post("/api/experiments", "{\"name\":\"bad\\u0000name\",\"config\":" + IMPROVING + "}");
        assertProblem(name, 400, "name");
        assertThat(count("experiment")).isEqualTo(experiments);

        var lease = lease(1);
        var group = TaskSpaceApi.group("nul", lease, 0, 0, 1);
        var body = tree(group);
        ((ObjectNode) body.get("rollouts").get(0)).put("response", "Answer: \u0000 4");
        ((ObjectNode) body.get("rollouts").get(1)).put("feedback", "trace\u0000");
        var response = api.post(groupsPath(), body);
        assertProblem(response, 400, "rollouts[0].response", "rollouts[1].feedback");
        assertThat(groups()).isZero();
    }

    @Test
    void nonFiniteRewardsAreRefusedInSingleAndBatchSubmits() {
        var lease = lease(2);
        for (String reward : List.of("\"Infinity\"", "\"-Infinity\"", "\"NaN\"", "1e400")) {
            var body = tree(TaskSpaceApi.group("inf", lease, 0, 0, 1));
            String json = body.toString().replaceFirst("\"reward\":0\\.0", "\"reward\":" + reward);
            assertProblem(api.post(groupsPath(), json), 400, "rollouts[0].reward");

            var batch = "{\"groups\":[" + tree(TaskSpaceApi.group("ok", lease, 1, 0, 1)) + "," + json + "]}";
            assertProblem(api.post(groupsPath() + "/batch", batch), 400, "groups[1].rollouts[0].reward");
        }
        assertThat(groups()).isZero();
    }

    @Test
    void aRewardThatDisagreesWithTheDerivedOneIsRefused() {
        var lease = lease(1);
        var honest = TaskSpaceApi.group("r", lease, 0, 0, 1);
        var inflated = new ArrayList<>(honest.rollouts());
        var first = inflated.get(0);
        inflated.set(0, withReward(first, 1.0)); // quality 0 cannot earn reward 1
        var error = refused(() -> api.client.submitGroup(id, copy(honest, inflated)));
        assertThat(error.getStatusCode().value()).isEqualTo(400);
        assertThat(fields(error)).containsExactly("rollouts[0].reward");
        assertThat(groups()).isZero();
        assertThat(api.client.submitGroup(id, honest).score()).isEqualTo(0.25);
    }

    @Test
    void aFieldIsListedOnce() {
        var lease = lease(1);
        var group = TaskSpaceApi.group("twice", lease, 0, 0, 1);
        var body = tree(group);
        // Out of range for bean validation and for the reward check at once: still one entry for the field.
        ((ObjectNode) body.get("rollouts").get(0)).put("quality", 7.0);
        var response = api.post(groupsPath(), body);
        assertThat(response.status()).isEqualTo(400);
        var fields = new ArrayList<String>();
        response.body().get("errors").forEach(e -> fields.add(e.get("field").asString()));
        assertThat(fields).doesNotHaveDuplicates().contains("rollouts[0].quality");
    }

    @Test
    void limitOutOfRangeOnBaseTasksIsA400() {
        assertProblem(api.get("/api/experiments/" + id + "/base-tasks?limit=0"), 400, "limit");
        assertProblem(api.get("/api/experiments/" + id + "/base-tasks?limit=100000"), 400, "limit");
        assertProblem(api.get("/api/experiments/" + id + "/base-tasks?offset=-1"), 400, "offset");
    }

    @Test
    void aReleasedLeaseTakesNoSubmits() {
        var lease = lease(1);
        api.client.releaseLease(id, lease.leaseId());
        var error = refused(() -> api.client.submitGroup(id, TaskSpaceApi.group("rel", lease, 0, 0, 1)));
        assertThat(error.getStatusCode().value()).isEqualTo(409);
        assertThat(error.getResponseHeaders().getContentType().toString()).startsWith("application/problem+json");
        assertThat(groups()).isZero();
    }

    @Test
    void anExpiredLeaseTakesASubmitUntilItsInstanceIsLeasedAgain() {
        var first = lease(2);
        expire(first.leaseId());
        reaper.reap();
        // Slot 0 was not leased again: its work is accepted.
        assertThat(api.client
                        .submitGroup(id, TaskSpaceApi.group("late0", first, 0, 0, 1))
                        .replay())
                .isFalse();
        // Slot 1's instance goes to a new lease (base tasks are drawn until a free one is found; lease them all).
        long instance = first.slots().get(1).instanceId();
        var holders = new ArrayList<LeaseView>();
        for (int i = 0; i < 20 && holders.stream().noneMatch(l -> holds(l, instance)); i++) {
            holders.add(api.client.lease(id, new LeaseRequest("w2", 4, null)));
        }
        assertThat(holders).anyMatch(l -> holds(l, instance));
        long before = groups();
        var error = refused(() -> api.client.submitGroup(id, TaskSpaceApi.group("late1", first, 1, 0, 1)));
        assertThat(error.getStatusCode().value()).isEqualTo(409);
        assertThat(groups()).isEqualTo(before);
    }

    @Test
    void policyVersionAndPromptMustMatchTheExperimentAndTheSlot() {
        var lease = lease(1);
        var slot = lease.slots().get(0);
        var future = TaskSpaceApi.group("v", lease.leaseId(), slot, 3, 0, 1);
        assertThat(fields(refused(() -> api.client.submitGroup(id, future)))).containsExactly("policyVersion");

        var honest = TaskSpaceApi.group("p", lease, 0, 0, 1);
        var otherPrompt = new SubmitGroup(
                "p", lease.leaseId(), 0, 0, "a prompt of my own", honest.promptTokenIds(), honest.rollouts());
        assertThat(fields(refused(() -> api.client.submitGroup(id, otherPrompt))))
                .containsExactly("prompt");
        assertThat(groups()).isZero();

        // Omitted: the slot's prompt is stored.
        var omitted = new SubmitGroup("p", lease.leaseId(), 0, 0, null, honest.promptTokenIds(), honest.rollouts());
        long groupId = api.client.submitGroup(id, omitted).groupId();
        assertThat(jdbc.sql("SELECT prompt FROM rollout_group WHERE id = ?")
                        .param(groupId)
                        .query(String.class)
                        .single())
                .isEqualTo(slot.prompt());

        // Once the trainer announced version 1, groups of version 1 are accepted.
        api.client.announceVersion(
                id, new PolicyVersionRequest(1, "http://localhost:8083/checkpoints/1", "a".repeat(64)));
        var next = lease(1);
        assertThat(api.client
                        .submitGroup(
                                id,
                                TaskSpaceApi.group(
                                        "p1", next.leaseId(), next.slots().get(0), 1, 0, 1))
                        .groupId())
                .isPositive();
        assertThat(api.client.getExperiment(id).checkpointSha256()).isEqualTo("a".repeat(64));
    }

    @Test
    void anIdempotencyKeyBelongsToOneLeaseSlot() {
        var lease = lease(2);
        api.client.submitGroup(id, TaskSpaceApi.group("same-key", lease, 0, 0, 1));
        var error = refused(() -> api.client.submitGroup(id, TaskSpaceApi.group("same-key", lease, 1, 0, 1)));
        assertThat(error.getStatusCode().value()).isEqualTo(409);
        assertThat(groups()).isEqualTo(1);
        // The slot it was meant for is still open: a proper key is accepted.
        assertThat(api.client
                        .submitGroup(id, TaskSpaceApi.group("other-key", lease, 1, 0, 1))
                        .replay())
                .isFalse();
        // And the first slot's retry is still a replay.
        assertThat(api.client
                        .submitGroup(id, TaskSpaceApi.group("same-key", lease, 0, 0, 1))
                        .replay())
                .isTrue();
    }

    @Test
    void sizeLimitsAreEnforced() {
        var lease = lease(1);
        var group = TaskSpaceApi.group("big", lease, 0, 0, 1);
        var longer = new ArrayList<>(group.rollouts());
        var r = longer.get(0);
        longer.set(
                0,
                new RolloutRecord(
                        "x".repeat(501), r.quality(), r.reward(), null, null, r.tokenIds(), r.logProbs(), null));
        assertThat(fields(refused(() -> api.client.submitGroup(id, copy(group, longer)))))
                .containsExactly("rollouts[0].response");

        String huge = "{\"groups\":[" + tree(group).toString().repeat(1) + "],\"pad\":\"" + "y".repeat(70_000) + "\"}";
        var tooLarge = api.post(groupsPath() + "/batch", huge);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.contentType()).startsWith("application/problem+json");
        assertThat(groups()).isZero();
    }

    @Test
    void encodedSlashesAndBadIdsAnswerProblemJson() throws Exception {
        var response = HttpClient.newHttpClient()
                .send(
                        TestTokens.request(URI.create("http://localhost:" + port + "/api/experiments/a%2Fb"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(response.body()).contains("experimentId").doesNotContain("java.");

        var wrongType = api.post("/api/experiments/" + id + "/leases", "{\"workerId\":\"w\",\"size\":\"many\"}");
        assertProblem(wrongType, 400, "size");
        assertThat(wrongType.text()).doesNotContain("java.").doesNotContain("Integer");
    }

    @Test
    void queueDepthUsesCamelCase() {
        var lease = lease(1);
        api.client.submitGroup(id, TaskSpaceApi.group("q", lease, 0, 0, 1));
        assertThat(api.client.queueDepth(id)).containsOnlyKeys("ready", "claimed", "consumed", "droppedStale");
    }

    // --- helpers

    private LeaseView lease(int size) {
        var lease = api.client.lease(id, new LeaseRequest("w", size, null));
        assertThat(lease.slots()).hasSize(size);
        return lease;
    }

    private static boolean holds(LeaseView lease, long instanceId) {
        return lease.slots().stream().anyMatch(s -> s.instanceId() == instanceId);
    }

    private void expire(UUID leaseId) {
        jdbc.sql("UPDATE lease SET expires_at = now() - interval '1 second' WHERE id = ?")
                .param(leaseId)
                .update();
        jdbc.sql("UPDATE task_instance SET leased_until = now() - interval '1 second' WHERE leased_by = ?")
                .param(leaseId)
                .update();
    }

    private String groupsPath() {
        return "/api/experiments/" + id + "/groups";
    }

    private JsonNode tree(Object value) {
        return api.mapper().valueToTree(value);
    }

    private long groups() {
        return jdbc.sql("SELECT count(*) FROM rollout_group WHERE experiment_id = ?")
                .param(id)
                .query(Long.class)
                .single();
    }

    private long count(String table) {
        return jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
    }

    private static RolloutRecord withReward(RolloutRecord r, double reward) {
        return new RolloutRecord(
                r.response(), r.quality(), reward, r.feedback(), r.history(), r.tokenIds(), r.logProbs(), null);
    }

    private static SubmitGroup copy(SubmitGroup g, List<RolloutRecord> rollouts) {
        return new SubmitGroup(
                g.idempotencyKey(), g.leaseId(), g.slot(), g.policyVersion(), g.prompt(), g.promptTokenIds(), rollouts);
    }

    private static HttpClientErrorException refused(Runnable call) {
        var error = catchThrowableOfType(HttpClientErrorException.class, call::run);
        assertThat(error).as("the call must be refused with a 4xx").isNotNull();
        return error;
    }

    private List<String> fields(HttpClientErrorException error) {
        var body = api.mapper().readTree(error.getResponseBodyAsString());
        var fields = new ArrayList<String>();
        body.get("errors").forEach(e -> fields.add(e.get("field").asString()));
        return fields;
    }

    private static void assertProblem(TaskSpaceApi.Response response, int status, String... fields) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        var listed = new ArrayList<String>();
        response.body().get("errors").forEach(e -> listed.add(e.get("field").asString()));
        assertThat(listed).as(response.text()).contains(fields).doesNotHaveDuplicates();
    }
}
