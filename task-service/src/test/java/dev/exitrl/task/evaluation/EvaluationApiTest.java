package dev.exitrl.task.evaluation;

import static dev.exitrl.task.TaskSpaceApi.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.exitrl.core.domain.Split;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.task.buffer.TaskSpaceApiTest;
import dev.exitrl.taskapi.CreateEvaluation;
import dev.exitrl.taskapi.EvaluationStatus;
import dev.exitrl.taskapi.EvaluationSummary;
import dev.exitrl.taskapi.EvaluationView;
import dev.exitrl.taskapi.PostResults;
import dev.exitrl.taskapi.ResultRow;
import dev.exitrl.taskapi.ResultsAppended;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
        var created = client().createEvaluation(experiment, new CreateEvaluation(3L, null, 2, 2, "k2"));
        assertThat(created.getStatusCode().value()).isEqualTo(201);
        EvaluationView evaluation = created.getBody();
        assertThat(evaluation.status()).isEqualTo(EvaluationStatus.RUNNING);
        assertThat(evaluation.split()).as("default split").isEqualTo(Split.TEST);
        assertThat(evaluation.experimentId()).isEqualTo(experiment);
        assertThat(evaluation.label()).isEqualTo("k2");
        return evaluation.id();
    }

    static ResultRow row(long task, int sample, int step, double quality, boolean correct) {
        return new ResultRow(task, sample, step, step == 0 ? StepKind.SOLVE : StepKind.IMPROVE, quality, correct);
    }

    /**
     * The fixture, per (task, sample): qualities and correctness at steps 0, 1, 2.
     * A/0: 0 F, .5 F, 1 T (wrong -> right); A/1: 1 T, 1 T, 1 T; B/0: 1 T, .5 F, .25 F (right -> wrong);
     * B/1: 0 F, 0 F, 1 T (wrong -> right); C/0: .5 F, .75 T and no step 2 (not a pair).
     */
    List<ResultRow> fixture() {
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

    ResultsAppended postResults(UUID evaluation, List<ResultRow> rows) {
        return client().postResults(evaluation, new PostResults(rows));
    }

    @Test
    void summaryMatchesHandComputedNumbers() {
        UUID evaluation = createEvaluation();
        var rows = fixture();
        var first = postResults(evaluation, rows.subList(0, 8));
        var second = postResults(evaluation, rows.subList(8, rows.size()));
        assertThat(first.inserted()).isEqualTo(8);
        assertThat(second.inserted()).isEqualTo(6);

        EvaluationSummary summary = client().evaluationSummary(evaluation);
        assertThat(summary.tasks()).isEqualTo(3);
        assertThat(summary.rows()).isEqualTo(14);
        var perStep = summary.perStep();
        assertThat(perStep).hasSize(3);
        // step 0: 0, 1, 1, 0, .5 -> mean 2.5/5; correct 2 of 5
        assertStep(perStep.get(0), 0, 5, 0.5, 0.4);
        // step 1: .5, 1, .5, 0, .75 -> mean 2.75/5; correct A/1 and C/0
        assertStep(perStep.get(1), 1, 5, 0.55, 0.4);
        // step 2: 1, 1, .25, 1 -> mean 3.25/4; correct 3 of 4
        assertStep(perStep.get(2), 2, 4, 0.8125, 0.75);
        assertThat(summary.deltaK()).isCloseTo(0.8125 - 0.5, within(1e-12));
        assertThat(summary.pairs()).isEqualTo(4);
        assertThat(summary.wrongToRight()).isEqualTo(2);
        assertThat(summary.rightToWrong()).isEqualTo(1);
        assertThat(summary.netCorrections()).isEqualTo(1);
        assertThat(summary.evaluation().policyVersion()).isEqualTo(3);
    }

    private static void assertStep(EvaluationSummary.StepSummary step, int k, long n, double mean, double accuracy) {
        assertThat(step.step()).isEqualTo(k);
        assertThat(step.n()).isEqualTo(n);
        assertThat(step.meanQuality()).as("mean at step %d", k).isCloseTo(mean, within(1e-12));
        assertThat(step.accuracy()).as("accuracy at step %d", k).isCloseTo(accuracy, within(1e-12));
    }

    @Test
    void deltaKWaitsForStepK() {
        UUID evaluation = createEvaluation();
        postResults(evaluation, List.of(row(taskA, 0, 0, 0.5, false), row(taskA, 0, 1, 1.0, true)));
        EvaluationSummary summary = client().evaluationSummary(evaluation);
        assertThat(summary.deltaK()).isNull();
        assertThat(summary.pairs()).isZero();
    }

    @Test
    void csvListsEveryRowInTaskSampleStepOrder() {
        UUID evaluation = createEvaluation();
        var rows = new ArrayList<>(fixture());
        Collections.reverse(rows);
        postResults(evaluation, rows);

        // The CSV is streamed beside the typed interface: raw HTTP.
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
        var appended = postResults(evaluation, retry);
        assertThat(appended.received()).isEqualTo(7);
        assertThat(appended.inserted()).isEqualTo(1);
        assertThat(appended.unchanged()).isEqualTo(6);
        assertThat(resultCount(evaluation)).isEqualTo(7);
    }

    @Test
    void conflictingRepostIsRefusedAndWritesNothing() {
        UUID evaluation = createEvaluation();
        postResults(evaluation, fixture().subList(0, 3));
        var refused = refused(() -> postResults(
                evaluation,
                List.of(
                        row(taskB, 0, 0, 1.0, true), // new, valid
                        row(taskA, 0, 1, 0.75, false)))); // stored with quality 0.5
        assertThat(refused.getStatusCode().value()).isEqualTo(409);
        assertThat(api.problem(refused).get("detail").asString())
                .contains("results[1]")
                .contains("quality=0.5");
        assertThat(resultCount(evaluation))
                .as("one transaction: the new row is not kept either")
                .isEqualTo(3);
    }

    @Test
    void invalidRowsAreRefusedNamingEachField() {
        UUID evaluation = createEvaluation();
        var outOfRange = refused(
                () -> postResults(evaluation, List.of(row(taskA, 0, 0, 0.5, false), row(taskA, 0, 1, 1.5, true))));
        assertThat(api.fields(outOfRange)).containsExactly("results[1].quality");

        var semantic = refused(() -> postResults(
                evaluation,
                List.of(
                        row(taskA, 2, 0, 0.5, false), // sample 2 >= samples 2
                        row(taskA, 0, 3, 0.5, false), // step 3 > K = 2
                        row(trainTask, 0, 0, 0.5, false), // TRAIN task in a TEST evaluation
                        row(999_999, 0, 0, 0.5, false)))); // not a task of this experiment
        assertThat(api.fields(semantic))
                .containsExactly(
                        "results[0].sample", "results[1].step", "results[2].baseTaskId", "results[3].baseTaskId");
        assertThat(resultCount(evaluation)).isZero();

        var kind = new ResultRow(taskA, 0, 1, StepKind.SOLVE, 0.5, false); // SOLVE after step 0
        assertThat(api.fields(refused(() -> postResults(evaluation, List.of(kind)))))
                .containsExactly("results[0].stepKind");
        assertThat(resultCount(evaluation)).isZero();
    }

    @Test
    void createValidatesRanges() {
        var ranges =
                refused(() -> client().createEvaluation(experiment, new CreateEvaluation(-1L, null, 257, 0, null)));
        assertThat(api.fields(ranges)).containsExactlyInAnyOrder("policyVersion", "steps", "samples");
        // A split that does not exist: only raw JSON can send it.
        var split = post(
                "/api/experiments/" + experiment + "/evaluations",
                Map.of("policyVersion", 0, "steps", 1, "samples", 1, "split", "VALIDATION"));
        assertThat(split.status()).isEqualTo(400);
        var fields = new ArrayList<String>();
        split.json().get("errors").forEach(e -> fields.add(e.get("field").asString()));
        assertThat(fields).containsExactly("split");
        assertThat(client().listEvaluations(experiment)).isEmpty();
    }

    @Test
    void completeClosesTheEvaluation() {
        UUID evaluation = createEvaluation();
        var completed = client().completeEvaluation(evaluation);
        assertThat(completed.status()).isEqualTo(EvaluationStatus.COMPLETED);
        assertThat(completed.completedAt()).isNotNull();
        assertThat(client().completeEvaluation(evaluation).status()).as("retry").isEqualTo(EvaluationStatus.COMPLETED);
        assertThat(refused(() -> client().failEvaluation(evaluation))
                        .getStatusCode()
                        .value())
                .isEqualTo(409);
        assertThat(refused(() -> postResults(evaluation, fixture().subList(0, 1)))
                        .getStatusCode()
                        .value())
                .isEqualTo(409);

        UUID failed = createEvaluation();
        assertThat(client().failEvaluation(failed).status()).isEqualTo(EvaluationStatus.FAILED);

        var list = client().listEvaluations(experiment);
        assertThat(list).hasSize(2);
        assertThat(list.get(0).id()).isEqualTo(evaluation);
        assertThat(list.get(1).status()).isEqualTo(EvaluationStatus.FAILED);
    }

    @Test
    void unknownIdsAreNotFound() {
        UUID unknown = UUID.randomUUID();
        assertThat(status(() -> client().evaluationSummary(unknown))).isEqualTo(404);
        assertThat(get("/api/evaluations/" + unknown + "/results.csv").status()).isEqualTo(404);
        assertThat(status(() -> postResults(unknown, fixture().subList(0, 1)))).isEqualTo(404);
        assertThat(status(() -> client().completeEvaluation(unknown))).isEqualTo(404);
        assertThat(status(() -> client().listEvaluations(unknown))).isEqualTo(404);
        var create = refused(() -> client().createEvaluation(unknown, new CreateEvaluation(0L, null, 1, 1, null)));
        assertThat(create.getStatusCode().value()).isEqualTo(404);
        assertThat(api.problem(create).get("status").asInt()).isEqualTo(404);
    }

    private static int status(Runnable call) {
        return refused(call).getStatusCode().value();
    }

    private long resultCount(UUID evaluation) {
        return jdbc.sql("SELECT count(*) FROM evaluation_result WHERE evaluation_id = ?")
                .param(evaluation)
                .query(Long.class)
                .single();
    }
}
