package dev.exitrl.task.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.exitrl.task.buffer.TaskSpaceApiTest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class EvaluationApiTest extends TaskSpaceApiTest {
    UUID experiment;
    long taskA;
    long taskB;
    long taskC;
    long trainTask;

    @BeforeEach
    void experimentWithTasks() {
        experiment = createExperiment(64);
        taskA = insertBaseTask(experiment, "test-a", "TEST");
        taskB = insertBaseTask(experiment, "test-b", "TEST");
        taskC = insertBaseTask(experiment, "test,c \"quoted\"", "TEST");
        trainTask = insertBaseTask(experiment, "train-a", "TRAIN");
    }

    /** K = 2, n = 2. */
    UUID createEvaluation() {
        var created = post(
                "/api/experiments/" + experiment + "/evaluations",
                Map.of("policyVersion", 3, "steps", 2, "samples", 2, "label", "k2"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("status").asString()).isEqualTo("RUNNING");
        assertThat(created.json().get("split").asString()).as("default split").isEqualTo("TEST");
        return UUID.fromString(created.json().get("id").asString());
    }

    static Map<String, Object> row(long task, int sample, int step, double quality, boolean correct) {
        var row = new LinkedHashMap<String, Object>();
        row.put("baseTaskId", task);
        row.put("sample", sample);
        row.put("step", step);
        row.put("stepKind", step == 0 ? "SOLVE" : "IMPROVE");
        row.put("quality", quality);
        row.put("correct", correct);
        return row;
    }

    /**
     * The fixture, per (task, sample): qualities and correctness at steps 0, 1, 2.
     * A/0: 0 F, .5 F, 1 T (wrong -> right); A/1: 1 T, 1 T, 1 T; B/0: 1 T, .5 F, .25 F (right -> wrong);
     * B/1: 0 F, 0 F, 1 T (wrong -> right); C/0: .5 F, .75 T and no step 2 (not a pair).
     */
    List<Map<String, Object>> fixture() {
        return List.of(
                row(taskA, 0, 0, 0.0, false),
                row(taskA, 0, 1, 0.5, false),
                row(taskA, 0, 2, 1.0, true),
                row(taskA, 1, 0, 1.0, true),
                row(taskA, 1, 1, 1.0, true),
                row(taskA, 1, 2, 1.0, true),
                row(taskB, 0, 0, 1.0, true),
                row(taskB, 0, 1, 0.5, false),
                row(taskB, 0, 2, 0.25, false),
                row(taskB, 1, 0, 0.0, false),
                row(taskB, 1, 1, 0.0, false),
                row(taskB, 1, 2, 1.0, true),
                row(taskC, 0, 0, 0.5, false),
                row(taskC, 0, 1, 0.75, true));
    }

    Response postResults(UUID evaluation, List<Map<String, Object>> rows) {
        return post("/api/evaluations/" + evaluation + "/results", Map.of("results", rows));
    }

    @Test
    void summaryMatchesHandComputedNumbers() {
        UUID evaluation = createEvaluation();
        var rows = fixture();
        var first = postResults(evaluation, rows.subList(0, 8));
        var second = postResults(evaluation, rows.subList(8, rows.size()));
        assertThat(first.json().get("inserted").asInt()).isEqualTo(8);
        assertThat(second.json().get("inserted").asInt()).isEqualTo(6);

        JsonNode summary = get("/api/evaluations/" + evaluation).json();
        assertThat(summary.get("tasks").asLong()).isEqualTo(3);
        assertThat(summary.get("rows").asLong()).isEqualTo(14);
        JsonNode perStep = summary.get("perStep");
        assertThat(perStep.size()).isEqualTo(3);
        // step 0: 0, 1, 1, 0, .5 -> mean 2.5/5; correct 2 of 5
        assertStep(perStep.get(0), 0, 5, 0.5, 0.4);
        // step 1: .5, 1, .5, 0, .75 -> mean 2.75/5; correct A/1 and C/0
        assertStep(perStep.get(1), 1, 5, 0.55, 0.4);
        // step 2: 1, 1, .25, 1 -> mean 3.25/4; correct 3 of 4
        assertStep(perStep.get(2), 2, 4, 0.8125, 0.75);
        assertThat(summary.get("deltaK").asDouble()).isCloseTo(0.8125 - 0.5, within(1e-12));
        assertThat(summary.get("pairs").asLong()).isEqualTo(4);
        assertThat(summary.get("wrongToRight").asLong()).isEqualTo(2);
        assertThat(summary.get("rightToWrong").asLong()).isEqualTo(1);
        assertThat(summary.get("netCorrections").asLong()).isEqualTo(1);
        assertThat(summary.get("evaluation").get("policyVersion").asLong()).isEqualTo(3);
    }

    private static void assertStep(JsonNode step, int k, long n, double mean, double accuracy) {
        assertThat(step.get("step").asInt()).isEqualTo(k);
        assertThat(step.get("n").asLong()).isEqualTo(n);
        assertThat(step.get("meanQuality").asDouble()).as("mean at step %d", k).isCloseTo(mean, within(1e-12));
        assertThat(step.get("accuracy").asDouble()).as("accuracy at step %d", k).isCloseTo(accuracy, within(1e-12));
    }

    @Test
    void deltaKWaitsForStepK() {
        UUID evaluation = createEvaluation();
        postResults(evaluation, List.of(row(taskA, 0, 0, 0.5, false), row(taskA, 0, 1, 1.0, true)));
        JsonNode summary = get("/api/evaluations/" + evaluation).json();
        assertThat(summary.get("deltaK").isNull()).isTrue();
        assertThat(summary.get("pairs").asLong()).isZero();
    }

    @Test
    void csvListsEveryRowInTaskSampleStepOrder() {
        UUID evaluation = createEvaluation();
        var rows = new ArrayList<>(fixture());
        Collections.reverse(rows);
        postResults(evaluation, rows);

        var csv = get("/api/evaluations/" + evaluation + "/results.csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.get(0)).isEqualTo("base_task_id,task_key,sample,step,step_kind,quality,correct");
        assertThat(lines).hasSize(15);
        assertThat(lines.get(1)).isEqualTo(taskA + ",test-a,0,0,SOLVE,0.0,false");
        assertThat(lines.get(3)).isEqualTo(taskA + ",test-a,0,2,IMPROVE,1.0,true");
        assertThat(lines.get(9)).isEqualTo(taskB + ",test-b,0,2,IMPROVE,0.25,false");
        // A key with a comma and quotes is quoted per RFC 4180.
        assertThat(lines.get(14)).isEqualTo(taskC + ",\"test,c \"\"quoted\"\"\",0,1,IMPROVE,0.75,true");
    }

    @Test
    void identicalRepostChangesNothing() {
        UUID evaluation = createEvaluation();
        var rows = fixture().subList(0, 6);
        postResults(evaluation, rows);
        // A retry, plus one new row: the old rows are taken as they are, the new one is added.
        var retry = new ArrayList<>(rows);
        retry.add(row(taskB, 0, 0, 1.0, true));
        var response = postResults(evaluation, retry);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("received").asInt()).isEqualTo(7);
        assertThat(response.json().get("inserted").asInt()).isEqualTo(1);
        assertThat(response.json().get("unchanged").asInt()).isEqualTo(6);
        assertThat(resultCount(evaluation)).isEqualTo(7);
    }

    @Test
    void conflictingRepostIsRefusedAndWritesNothing() {
        UUID evaluation = createEvaluation();
        postResults(evaluation, fixture().subList(0, 3));
        var response = postResults(
                evaluation,
                List.of(
                        row(taskB, 0, 0, 1.0, true), // new, valid
                        row(taskA, 0, 1, 0.75, false))); // stored with quality 0.5
        assertThat(response.status()).as(response.body()).isEqualTo(409);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("detail").asString())
                .contains("results[1]")
                .contains("quality=0.5");
        assertThat(resultCount(evaluation))
                .as("one transaction: the new row is not kept either")
                .isEqualTo(3);
    }

    @Test
    void invalidRowsAreRefusedNamingEachField() {
        UUID evaluation = createEvaluation();
        var response = postResults(evaluation, List.of(row(taskA, 0, 0, 0.5, false), row(taskA, 0, 1, 1.5, true)));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(fields(response)).containsExactly("results[1].quality");

        var semantic = postResults(
                evaluation,
                List.of(
                        row(taskA, 2, 0, 0.5, false), // sample 2 >= samples 2
                        row(taskA, 0, 3, 0.5, false), // step 3 > K = 2
                        row(trainTask, 0, 0, 0.5, false), // TRAIN task in a TEST evaluation
                        row(999_999, 0, 0, 0.5, false))); // not a task of this experiment
        assertThat(semantic.status()).isEqualTo(400);
        assertThat(fields(semantic))
                .containsExactly(
                        "results[0].sample", "results[1].step", "results[2].baseTaskId", "results[3].baseTaskId");
        assertThat(resultCount(evaluation)).isZero();

        var kind = new LinkedHashMap<>(row(taskA, 0, 1, 0.5, false));
        kind.put("stepKind", "SOLVE");
        assertThat(fields(postResults(evaluation, List.of(kind)))).containsExactly("results[0].stepKind");
    }

    @Test
    void createValidatesRanges() {
        var response = post(
                "/api/experiments/" + experiment + "/evaluations",
                Map.of("policyVersion", -1, "steps", 257, "samples", 0));
        assertThat(response.status()).isEqualTo(400);
        assertThat(fields(response)).containsExactlyInAnyOrder("policyVersion", "steps", "samples");
        var split = post(
                "/api/experiments/" + experiment + "/evaluations",
                Map.of("policyVersion", 0, "steps", 1, "samples", 1, "split", "VALIDATION"));
        assertThat(split.status()).isEqualTo(400);
        assertThat(fields(split)).containsExactly("split");
    }

    @Test
    void completeClosesTheEvaluation() {
        UUID evaluation = createEvaluation();
        var completed = post("/api/evaluations/" + evaluation + "/complete", "");
        assertThat(completed.status()).isEqualTo(200);
        assertThat(completed.json().get("status").asString()).isEqualTo("COMPLETED");
        assertThat(completed.json().get("completedAt").isNull()).isFalse();
        assertThat(post("/api/evaluations/" + evaluation + "/complete", "").status())
                .as("retry")
                .isEqualTo(200);
        assertThat(post("/api/evaluations/" + evaluation + "/fail", "").status())
                .isEqualTo(409);
        assertThat(postResults(evaluation, fixture().subList(0, 1)).status()).isEqualTo(409);

        UUID failed = createEvaluation();
        assertThat(post("/api/evaluations/" + failed + "/fail", "")
                        .json()
                        .get("status")
                        .asString())
                .isEqualTo("FAILED");

        JsonNode list = get("/api/experiments/" + experiment + "/evaluations").json();
        assertThat(list.size()).isEqualTo(2);
        assertThat(list.get(0).get("id").asString()).isEqualTo(evaluation.toString());
        assertThat(list.get(1).get("status").asString()).isEqualTo("FAILED");
    }

    @Test
    void unknownIdsAreNotFound() {
        UUID unknown = UUID.randomUUID();
        assertThat(get("/api/evaluations/" + unknown).status()).isEqualTo(404);
        assertThat(get("/api/evaluations/" + unknown + "/results.csv").status()).isEqualTo(404);
        assertThat(postResults(unknown, fixture().subList(0, 1)).status()).isEqualTo(404);
        assertThat(post("/api/evaluations/" + unknown + "/complete", "").status())
                .isEqualTo(404);
        assertThat(get("/api/experiments/" + unknown + "/evaluations").status()).isEqualTo(404);
        var create = post(
                "/api/experiments/" + unknown + "/evaluations", Map.of("policyVersion", 0, "steps", 1, "samples", 1));
        assertThat(create.status()).isEqualTo(404);
        assertThat(create.contentType()).startsWith("application/problem+json");
    }

    private long resultCount(UUID evaluation) {
        return jdbc.sql("SELECT count(*) FROM evaluation_result WHERE evaluation_id = ?")
                .param(evaluation)
                .query(Long.class)
                .single();
    }

    private static List<String> fields(Response response) {
        var fields = new ArrayList<String>();
        response.json().get("errors").forEach(e -> fields.add(e.get("field").asString()));
        return fields;
    }
}
