package dev.exitrl.task;

import static dev.exitrl.task.TaskSpaceApi.group;
import static dev.exitrl.task.TaskSpaceApi.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.core.domain.Split;
import dev.exitrl.core.reward.RewardMode;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.task.lease.ExpiryReaper;
import dev.exitrl.taskapi.ClaimRequest;
import dev.exitrl.taskapi.CreateExperiment;
import dev.exitrl.taskapi.ExperimentStatus;
import dev.exitrl.taskapi.GenerateTasks;
import dev.exitrl.taskapi.LeaseRequest;
import dev.exitrl.taskapi.LeaseSlot;
import dev.exitrl.taskapi.PolicyVersionRequest;
import dev.exitrl.taskapi.RolloutRecord;
import dev.exitrl.taskapi.StatusChange;
import dev.exitrl.taskapi.SubmitGroup;
import dev.exitrl.taskapi.SubmitGroups;
import dev.exitrl.taskapi.SubmitOutcome;
import dev.exitrl.taskapi.TaskSpaceClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** The task space's REST contract, end to end over HTTP (the typed task-api client) against a real PostgreSQL. */
class TaskSpaceFlowTest extends TaskServiceTestBase {
    @Autowired
    ExpiryReaper reaper;

    static final String SMALL_EXIT = """
            {"domain":"countdown","preset":"exit","rolloutsPerPrompt":4,"bufferCapacity":8,"bufferMinSize":2,
             "selectProbability":0.5,"promptsPerBatch":4,"seed":11}""";

    TaskSpaceClient client;

    @BeforeEach
    void typedClient() {
        client = api.client;
    }

    @Test
    void leaseSubmitClaimAcknowledge() {
        UUID id = api.running(SMALL_EXIT);
        var generated = client.generateTasks(id, new GenerateTasks(1, 1, 20, 5));
        assertThat(generated.counts()).containsEntry(Split.TRAIN, 20).containsEntry(Split.TEST, 5);

        var lease = client.lease(id, new LeaseRequest("w1", 4, null));
        assertThat(lease.slots()).hasSize(4);
        for (LeaseSlot slot : lease.slots()) {
            // An empty buffer: every slot is a base task to solve.
            assertThat(slot.stepKind()).isEqualTo(StepKind.SOLVE);
            assertThat(slot.depth()).isZero();
            assertThat(slot.fromBuffer()).isFalse();
            assertThat(slot.prompt()).contains(slot.baseTask().problem());
            // Everything a worker needs to reward its rollouts: nothing to revise yet, countdown's reward mode, G.
            assertThat(slot.parentQuality()).isNull();
            assertThat(slot.rewardMode()).isEqualTo(RewardMode.IMPROVEMENT);
            assertThat(slot.groupSize()).isEqualTo(4);
        }

        var outcomes = new ArrayList<SubmitOutcome>();
        for (LeaseSlot slot : lease.slots()) {
            outcomes.add(
                    client.submitGroup(id, group("k-" + slot.slot(), lease.leaseId(), slot, 0, 0.0, 1.0, 0.5, 0.5)));
        }
        // SOLVE steps: reward = quality, so S = population variance of (0, 1, 0.5, 0.5) = 0.125
        assertThat(outcomes).allSatisfy(o -> assertThat(o.score()).isEqualTo(0.125));
        assertThat(outcomes.get(0).parent()).isEqualTo("added");
        assertThat(outcomes.get(0).childrenOffered()).isEqualTo(3); // 4 responses, 3 distinct
        var last = outcomes.get(outcomes.size() - 1);
        assertThat(last.bufferSize()).isEqualTo(8); // capped at N
        assertThat(bufferCount(id)).isEqualTo(8);
        assertThat(leaseStatus(lease.leaseId())).isEqualTo("COMPLETED");

        // The same idempotency key again changes nothing and answers as the first time.
        long groupsBefore = groupCount(id);
        var replay = client.submitGroup(id, group("k-0", lease, 0, 1.0, 1.0, 1.0, 1.0));
        assertThat(replay.replay()).isTrue();
        assertThat(replay.groupId()).isEqualTo(outcomes.get(0).groupId());
        assertThat(replay.score()).isEqualTo(0.125);
        assertThat(groupCount(id)).isEqualTo(groupsBefore);

        // The buffer is ready (8 >= 2): later leases draw from it too and ask for revisions.
        var second = client.lease(id, new LeaseRequest("w1", 8, null));
        assertThat(second.slots()).hasSize(8);
        assertThat(second.slots())
                .extracting(LeaseSlot::stepKind)
                .anyMatch(k -> k == StepKind.IMPROVE || k == StepKind.DIVERGE);
        assertThat(client.releaseLease(id, second.leaseId()).getStatusCode().value())
                .isEqualTo(204);

        var claim = client.claim(id, new ClaimRequest(3, null, null));
        assertThat(claim.groups()).hasSize(3);
        var claimed = claim.groups().get(0);
        // The oldest group comes first, typed as it was submitted, with the rewards the task space derived.
        assertThat(claimed.groupId()).isEqualTo(outcomes.get(0).groupId());
        assertThat(claimed.depth()).isZero();
        assertThat(claimed.stepKind()).isEqualTo(StepKind.SOLVE);
        assertThat(claimed.prompt()).isEqualTo(lease.slots().get(0).prompt());
        assertThat(claimed.promptTokenIds()).containsExactly(7L);
        assertThat(claimed.rollouts()).hasSize(4);
        assertThat(claimed.rollouts()).extracting(RolloutRecord::quality).containsExactly(0.0, 1.0, 0.5, 0.5);
        assertThat(claimed.rollouts()).extracting(RolloutRecord::reward).containsExactly(0.0, 1.0, 0.5, 0.5);
        assertThat(claimed.rollouts().get(0).logProbs()).hasSize(2);
        assertThat(claimed.rollouts().get(0).history().latest().response()).isEqualTo("Answer: 0.0");
        var rest = client.claim(id, new ClaimRequest(10, null, null));
        assertThat(rest.groups()).hasSize(1); // a claimed group is not handed out twice
        assertThat(client.acknowledgeClaim(id, claim.claimId()).groups()).isEqualTo(3);
        var depth = client.queueDepth(id);
        assertThat(depth).containsEntry("consumed", 3).containsEntry("claimed", 1);
    }

    @Test
    void presetsDecideWhatEntersTheBuffer() {
        // grpo: no buffer at all; curriculum: re-scored base tasks only; exit with the rank sampler: children too.
        var expected = Map.of(
                "grpo", List.of("not-buffered", 0), "curriculum", List.of("added", 0), "exit", List.of("added", 3));
        for (var preset : List.of("grpo", "curriculum", "exit")) {
            UUID id = api.running(
                    "{\"domain\":\"countdown\",\"preset\":\"" + preset + "\",\"rolloutsPerPrompt\":4,"
                            + "\"bufferCapacity\":16,\"bufferMinSize\":1,\"selectProbability\":0.5,\"sampler\":\"rank\",\"seed\":3}");
            client.generateTasks(id, new GenerateTasks(6, 1, 10, 0));
            var outcomes = new ArrayList<SubmitOutcome>();
            for (int round = 0; round < 4; round++) {
                var lease = client.lease(id, new LeaseRequest("w", 2, null));
                for (LeaseSlot slot : lease.slots()) {
                    // Revisions (exit) get the rewards derived from their parent's quality.
                    outcomes.add(client.submitGroup(
                            id, group(preset + round + slot.slot(), lease.leaseId(), slot, 0, 0, 1, 0.5, 0.5)));
                }
            }
            var first = outcomes.get(0);
            assertThat(first.parent()).as(preset).isEqualTo(expected.get(preset).get(0));
            assertThat(first.childrenOffered())
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
        UUID id = api.running(SMALL_EXIT); // maxStaleness 0: on-policy
        client.generateTasks(id, new GenerateTasks(2, 1, 10, 0));
        var lease = client.lease(id, new LeaseRequest("w", 2, null));
        client.submitGroup(id, group("a", lease, 0, 0, 1, 0, 1));
        var announced = client.announceVersion(id, checkpoint(1));
        assertThat(announced.policyVersion()).isEqualTo(1);
        var experiment = client.getExperiment(id);
        assertThat(experiment.policyVersion()).isEqualTo(1);
        assertThat(experiment.checkpointUri()).isEqualTo(checkpoint(1).checkpointUri());
        assertThat(experiment.checkpointSha256()).isEqualTo(checkpoint(1).sha256());
        client.submitGroup(id, group("b", lease.leaseId(), lease.slots().get(1), 1, 0, 1, 1, 1));
        var claim = client.claim(id, new ClaimRequest(10, null, null));
        assertThat(claim.droppedStale()).isEqualTo(1);
        assertThat(claim.groups()).hasSize(1);
        assertThat(claim.groups().get(0).policyVersion()).isEqualTo(1);
        assertThat(refused(() -> client.announceVersion(id, checkpoint(0)))
                        .getStatusCode()
                        .value())
                .isEqualTo(409);
    }

    @Test
    void batchSubmitIsOneTransaction() {
        UUID id = api.running(SMALL_EXIT);
        client.generateTasks(id, new GenerateTasks(5, 1, 10, 0));
        var lease = client.lease(id, new LeaseRequest("w", 3, null));
        var bad = refused(() -> client.submitGroups(
                id, new SubmitGroups(List.of(group("x0", lease, 0, 0, 1, 0, 1), group("x1", lease, 1, 0, 1, 0, 2)))));
        assertThat(api.fields(bad)).containsExactly("groups[1].rollouts[3].quality");
        assertThat(groupCount(id)).isZero();

        var y1 = group("y1", lease, 1, 0, 1, 0, 1);
        var unknownSlot = refused(() -> client.submitGroups(
                id,
                new SubmitGroups(List.of(
                        group("y0", lease, 0, 0, 1, 0, 1),
                        new SubmitGroup(
                                y1.idempotencyKey(),
                                y1.leaseId(),
                                7,
                                y1.policyVersion(),
                                y1.prompt(),
                                y1.promptTokenIds(),
                                y1.rollouts())))));
        assertThat(api.fields(unknownSlot)).containsExactly("groups[1].slot");
        assertThat(groupCount(id)).isZero(); // the first group of that batch was rolled back too

        var outcomes = client.submitGroups(
                id,
                new SubmitGroups(List.of(
                        group("z0", lease, 0, 0, 1, 0, 1),
                        group("z1", lease, 1, 1, 1, 1, 1),
                        group("z2", lease, 2, 0, 0, 0, 1))));
        assertThat(outcomes).hasSize(3);
        // SOLVE steps, reward = quality: var(1, 1, 1, 1) = 0; var(0, 0, 0, 1) = 1/4 - 1/16 = 0.1875
        assertThat(outcomes.get(1).score()).isZero();
        assertThat(outcomes.get(2).score()).isEqualTo(0.1875);
        assertThat(groupCount(id)).isEqualTo(3);
        assertThat(leaseStatus(lease.leaseId())).isEqualTo("COMPLETED");
    }

    @Test
    void badInputIsA400NamingEveryField() {
        var invalid = refused(
                () -> client.createExperiment(
                        new CreateExperiment(
                                "x",
                                api.mapper()
                                        .readTree(
                                                "{\"domain\":\"countdown\",\"preset\":\"exit\",\"rolloutsPerPrompt\":1,\"kappa\":-2}"))));
        assertThat(api.fields(invalid)).contains("config.rolloutsPerPrompt", "config.kappa");

        var unknown = refused(() -> client.createExperiment(
                new CreateExperiment("x", api.mapper().readTree("{\"domain\":\"chess\",\"preset\":\"exit\"}"))));
        assertThat(api.fields(unknown)).containsExactly("config.domain");
        assertThat(api.problem(unknown).get("errors").get(0).get("message").asString())
                .contains("countdown", "math");

        UUID id = api.running(SMALL_EXIT);
        var badLease = refused(() -> client.lease(id, new LeaseRequest("", 0, null)));
        assertThat(api.fields(badLease)).contains("workerId", "size");

        var noTasks = refused(() -> client.lease(id, new LeaseRequest("w", 1, null)));
        assertThat(noTasks.getStatusCode().value()).isEqualTo(409);

        client.generateTasks(id, new GenerateTasks(3, 1, 5, 0));
        var lease = client.lease(id, new LeaseRequest("w", 1, null));
        var badQuality = refused(() -> client.submitGroup(id, group("q", lease, 0, 1.5, 0, 0, 0)));
        assertThat(api.fields(badQuality)).contains("rollouts[0].quality");
        var wrongG = refused(() -> client.submitGroup(id, group("g", lease, 0, 1, 0)));
        assertThat(api.fields(wrongG)).containsExactly("rollouts");
        // Wrong JSON types: only raw JSON can send them.
        var malformed = api.post("/api/experiments/" + id + "/groups", "{\"idempotencyKey\": 5, \"slot\": \"x\"}");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(fields(malformed.body())).containsExactly("slot");
        assertThat(groupCount(id)).isZero();

        var missing = refused(() -> client.getExperiment(UUID.randomUUID()));
        assertThat(missing.getStatusCode().value()).isEqualTo(404);
        assertThat(api.problem(missing).get("status").asInt()).isEqualTo(404);
    }

    @Test
    void leasesNeedARunningExperimentAndExpire() {
        var created =
                client.createExperiment(new CreateExperiment("t", api.mapper().readTree(SMALL_EXIT)));
        assertThat(created.getStatusCode().value()).isEqualTo(201);
        UUID id = created.getBody().id();
        assertThat(created.getBody().status()).isEqualTo(ExperimentStatus.CREATED);
        client.generateTasks(id, new GenerateTasks(4, 1, 1, 0));
        assertThat(refused(() -> client.lease(id, new LeaseRequest("w", 1, null)))
                        .getStatusCode()
                        .value())
                .isEqualTo(409);
        client.changeStatus(id, new StatusChange(ExperimentStatus.RUNNING));

        // One base task only: while it is leased nobody else gets it; once the lease expires it is served again.
        var first = client.lease(id, new LeaseRequest("a", 1, 1));
        assertThat(first.slots()).hasSize(1);
        var blocked = client.lease(id, new LeaseRequest("b", 1, null));
        assertThat(blocked.slots()).isEmpty();
        jdbc.sql("UPDATE lease SET expires_at = now() - interval '1 second' WHERE id = ?::uuid")
                .param(first.leaseId().toString())
                .update();
        jdbc.sql("UPDATE task_instance SET leased_until = now() - interval '1 second' WHERE leased_by = ?::uuid")
                .param(first.leaseId().toString())
                .update();
        var again = client.lease(id, new LeaseRequest("b", 1, null));
        assertThat(again.slots().get(0).instanceId())
                .isEqualTo(first.slots().get(0).instanceId());
        assertThat(leaseStatus(first.leaseId())).isEqualTo("EXPIRED");
    }

    @Test
    void theReaperReclaimsExpiredLeasesAndClaimsWithoutNewTraffic() {
        UUID id = api.running(SMALL_EXIT);
        client.generateTasks(id, new GenerateTasks(7, 1, 5, 0));
        var lease = client.lease(id, new LeaseRequest("w", 2, null));
        client.submitGroup(id, group("r0", lease, 0, 0, 1, 0, 1));
        var claim = client.claim(id, new ClaimRequest(5, null, null));
        assertThat(claim.groups()).hasSize(1);
        // The worker and the trainer crash: their lease and claim run out.
        jdbc.sql("UPDATE lease SET expires_at = now() - interval '1 second' WHERE id = ?::uuid")
                .param(lease.leaseId().toString())
                .update();
        jdbc.sql("UPDATE task_instance SET leased_until = now() - interval '1 second' WHERE leased_by = ?::uuid")
                .param(lease.leaseId().toString())
                .update();
        jdbc.sql("UPDATE training_queue SET claim_expires_at = now() - interval '1 second' WHERE claim_id = ?::uuid")
                .param(claim.claimId().toString())
                .update();

        reaper.reap();

        assertThat(leaseStatus(lease.leaseId())).isEqualTo("EXPIRED");
        assertThat(jdbc.sql("SELECT count(*) FROM task_instance WHERE experiment_id = ? AND leased_by IS NOT NULL")
                        .param(id)
                        .query(Integer.class)
                        .single())
                .isZero();
        assertThat(client.queueDepth(id)).containsEntry("ready", 1).containsEntry("claimed", 0);
    }

    @Test
    void jsonLinesImportIsAllOrNothing() {
        UUID id = api.running("{\"domain\":\"math\",\"preset\":\"grpo\"}");
        String bad = """
                {"problem": "What is 1+1?", "answer": "2"}
                {"problem": "What is 2+2?"}
                {"problem": "What is 3+3?", "answer": "6"}
                """;
        // The import is a stream of JSON lines, served beside the typed interface: raw HTTP.
        var rejected =
                api.post("/api/experiments/" + id + "/base-tasks/import?split=TEST", bad, "application/x-ndjson");
        assertThat(rejected.status()).isEqualTo(400);
        assertThat(fields(rejected.body())).containsExactly("line 2");
        assertThat(client.taskCounts(id)).containsEntry(Split.TEST, 0);

        String good = bad.replace("\"What is 2+2?\"}", "\"What is 2+2?\", \"answer\": \"4\"}");
        var imported =
                api.post("/api/experiments/" + id + "/base-tasks/import?split=TEST", good, "application/x-ndjson");
        assertThat(imported.status()).isEqualTo(200);
        assertThat(imported.body().get("added").asInt()).isEqualTo(3);
        var page = client.listTasks(id, Split.TEST, 0, 2);
        assertThat(page).hasSize(2);
        assertThat(page.get(0).task().problem()).isEqualTo("What is 1+1?");
        assertThat(page.get(0).task().split()).isEqualTo(Split.TEST);
    }

    /** A checkpoint announcement for {@code version}. */
    private static PolicyVersionRequest checkpoint(long version) {
        return new PolicyVersionRequest(
                version, "http://trainer:8083/checkpoints/" + version + ".tar", "0123456789abcdef".repeat(4));
    }

    private static List<String> fields(JsonNode problem) {
        var fields = new ArrayList<String>();
        problem.get("errors").forEach(e -> fields.add(e.get("field").asString()));
        return fields;
    }

    private String leaseStatus(UUID leaseId) {
        return jdbc.sql("SELECT status FROM lease WHERE id = ?::uuid")
                .param(leaseId.toString())
                .query(String.class)
                .single();
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
