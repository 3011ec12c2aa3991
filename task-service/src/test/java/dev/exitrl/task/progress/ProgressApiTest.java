package dev.exitrl.task.progress;

import static dev.exitrl.task.TaskSpaceApi.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.exitrl.core.domain.Split;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.task.TaskServiceTestBase;
import dev.exitrl.task.TaskSpaceApi;
import dev.exitrl.taskapi.AckRequest;
import dev.exitrl.taskapi.BufferStats;
import dev.exitrl.taskapi.ClaimRequest;
import dev.exitrl.taskapi.CreateEvaluation;
import dev.exitrl.taskapi.CreateExperiment;
import dev.exitrl.taskapi.EvaluationStatus;
import dev.exitrl.taskapi.ExperimentProgress;
import dev.exitrl.taskapi.ExperimentStatus;
import dev.exitrl.taskapi.GenerateTasks;
import dev.exitrl.taskapi.LeaseRequest;
import dev.exitrl.taskapi.LeaseSlot;
import dev.exitrl.taskapi.PostResults;
import dev.exitrl.taskapi.ResultRow;
import dev.exitrl.taskapi.RolloutRecord;
import dev.exitrl.taskapi.SubmitGroup;
import dev.exitrl.taskapi.TaskSpaceClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.HttpClientErrorException;

/**
 * The lifecycle verbs and {@code GET .../progress}, over HTTP through the typed task-api client: every progress field
 * is checked against what the test itself submitted and acknowledged, and both budgets complete the experiment.
 */
class ProgressApiTest extends TaskServiceTestBase {
    static final String CONFIG = """
            {"domain":"countdown","preset":"exit","rolloutsPerPrompt":4,"bufferCapacity":16,"bufferMinSize":2,
             "selectProbability":0.5,"promptsPerBatch":4,"seed":5%s}""";

    TaskSpaceClient client;

    /** What the test submitted, per step kind: reward and quality sums and rollout counts. */
    final Map<StepKind, double[]> submitted = new EnumMap<>(StepKind.class);

    long tokensSubmitted;

    @BeforeEach
    void typedClient() {
        client = api.client;
    }

    UUID create(String extra) {
        return client.createExperiment(
                        new CreateExperiment("progress-test", api.mapper().readTree(CONFIG.formatted(extra))))
                .getBody()
                .id();
    }

    @Test
    void lifecycleVerbsAllowOnlyLegalTransitions() {
        UUID id = create("");
        assertThat(client.getExperiment(id).status()).isEqualTo(ExperimentStatus.CREATED);
        conflict(() -> client.pauseExperiment(id), "cannot pause", "CREATED");
        conflict(() -> client.resumeExperiment(id), "cannot resume", "CREATED");
        conflict(() -> client.stopExperiment(id), "cannot stop", "CREATED");

        assertThat(client.startExperiment(id).status()).isEqualTo(ExperimentStatus.RUNNING);
        conflict(() -> client.startExperiment(id), "cannot start", "RUNNING");
        conflict(() -> client.resumeExperiment(id), "cannot resume", "RUNNING");

        assertThat(client.pauseExperiment(id).status()).isEqualTo(ExperimentStatus.PAUSED);
        assertThat(client.getExperiment(id).status()).isEqualTo(ExperimentStatus.PAUSED);
        conflict(() -> client.pauseExperiment(id), "cannot pause", "PAUSED");
        conflict(() -> client.startExperiment(id), "cannot start", "PAUSED");
        client.generateTasks(id, new GenerateTasks(1, 1, 4, 0));
        // Paused: no new leases.
        assertThat(refused(() -> client.lease(id, new LeaseRequest("w", 1, null)))
                        .getStatusCode()
                        .value())
                .isEqualTo(409);

        assertThat(client.resumeExperiment(id).status()).isEqualTo(ExperimentStatus.RUNNING);
        assertThat(client.lease(id, new LeaseRequest("w", 1, null)).slots()).hasSize(1);
        assertThat(client.pauseExperiment(id).status()).isEqualTo(ExperimentStatus.PAUSED);
        // Stop works from PAUSED (and from RUNNING, below) and is final.
        assertThat(client.stopExperiment(id).status()).isEqualTo(ExperimentStatus.COMPLETED);
        conflict(() -> client.startExperiment(id), "cannot start", "COMPLETED");
        conflict(() -> client.resumeExperiment(id), "cannot resume", "COMPLETED");
        conflict(() -> client.pauseExperiment(id), "cannot pause", "COMPLETED");
        conflict(() -> client.stopExperiment(id), "cannot stop", "COMPLETED");
        assertThat(client.getExperiment(id).status()).isEqualTo(ExperimentStatus.COMPLETED);

        UUID running = create("");
        client.startExperiment(running);
        assertThat(client.stopExperiment(running).status()).isEqualTo(ExperimentStatus.COMPLETED);

        UUID unknown = UUID.randomUUID();
        assertThat(refused(() -> client.startExperiment(unknown))
                        .getStatusCode()
                        .value())
                .isEqualTo(404);
        assertThat(refused(() -> client.progress(unknown)).getStatusCode().value())
                .isEqualTo(404);
    }

    @Test
    void progressReportsWhatWasSubmittedAndTrainedAndTheIterationBudgetCompletes() {
        UUID id = create(",\"maxIterations\":3,\"maxTokens\":1000000");
        var initial = client.progress(id);
        assertThat(initial.experimentId()).isEqualTo(id);
        assertThat(initial.name()).isEqualTo("progress-test");
        assertThat(initial.status()).isEqualTo(ExperimentStatus.CREATED);
        assertThat(initial.iteration()).isZero();
        assertThat(initial.policyVersion()).isZero();
        assertThat(initial.tokensGenerated()).isZero();
        assertThat(initial.tokensTrained()).isZero();
        assertThat(initial.meanRewardByStepKind()).isEmpty();
        assertThat(initial.meanQualityByStepKind()).isEmpty();
        assertThat(initial.bufferSize()).isZero();
        assertThat(initial.depthHistogram()).isEmpty();
        assertThat(initial.queueDepth()).isZero();
        assertThat(initial.rolloutTokensPerSecond()).isZero();
        assertThat(initial.trainTokensPerSecond()).isZero();
        assertThat(initial.latestEvaluation()).isNull();
        assertThat(initial.budget()).isEqualTo(new ExperimentProgress.Budget(3, 1_000_000L));
        assertThat(initial.fractionDone()).isZero();
        assertThat(initial.etaSeconds()).isNull();

        client.generateTasks(id, new GenerateTasks(2, 1, 20, 4));
        client.startExperiment(id);
        long started = System.nanoTime();
        submitLease(id, 4, 1);
        submitLease(id, 4, 2); // the buffer is ready now: revision steps too
        double elapsed = (System.nanoTime() - started) / 1e9;

        var submittedProgress = client.progress(id);
        var p = submittedProgress;
        assertThat(p.status()).isEqualTo(ExperimentStatus.RUNNING);
        assertThat(p.tokensGenerated()).isEqualTo(tokensSubmitted).isPositive();
        assertThat(p.meanRewardByStepKind().keySet()).isEqualTo(submitted.keySet());
        submitted.forEach((kind, sums) -> {
            assertThat(submittedProgress.meanRewardByStepKind().get(kind)).isCloseTo(sums[0] / sums[2], within(1e-9));
            assertThat(submittedProgress.meanQualityByStepKind().get(kind)).isCloseTo(sums[1] / sums[2], within(1e-9));
        });
        BufferStats stats = client.bufferStats(id);
        assertThat(p.bufferSize()).isEqualTo(stats.size()).isPositive();
        var expectedDepths = new LinkedHashMap<Integer, Long>();
        stats.depthHistogram().forEach(d -> expectedDepths.put(d.depth(), d.count()));
        assertThat(p.depthHistogram()).isEqualTo(expectedDepths);
        assertThat(p.queueDepth()).isEqualTo(8);
        // Tokens of the last minute over the time since the first submit (at least 1 s): between the two bounds.
        assertThat(p.rolloutTokensPerSecond())
                .isLessThanOrEqualTo((double) tokensSubmitted)
                .isGreaterThanOrEqualTo(tokensSubmitted / Math.max(1.0, elapsed + 1.0));
        assertThat(p.iteration()).isZero();
        assertThat(p.etaSeconds()).as("no acknowledged batch yet: no rate").isNull();

        // The trainer takes three groups and reports 120 tokens in 0.5 s.
        var first = client.claim(id, new ClaimRequest(3, null, null));
        assertThat(client.acknowledgeClaim(id, first.claimId(), new AckRequest(120L, 0.5))
                        .groups())
                .isEqualTo(3);
        p = client.progress(id);
        assertThat(p.iteration()).isEqualTo(1);
        assertThat(p.tokensTrained()).isEqualTo(120);
        assertThat(p.trainTokensPerSecond()).isCloseTo(240.0, within(1e-9));
        assertThat(p.queueDepth()).isEqualTo(5);
        assertThat(p.fractionDone()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(p.etaSeconds()).as("one acknowledgement gives no rate yet").isNull();
        // A retried acknowledgement changes nothing.
        client.acknowledgeClaim(id, first.claimId(), new AckRequest(120L, 0.5));
        assertThat(client.progress(id).iteration()).isEqualTo(1);
        assertThat(client.progress(id).tokensTrained()).isEqualTo(120);

        sleepMillis(300); // so the two acknowledgements are measurably apart
        var second = client.claim(id, new ClaimRequest(5, null, null));
        client.acknowledgeClaim(id, second.claimId(), new AckRequest(280L, 1.5));
        p = client.progress(id);
        assertThat(p.iteration()).isEqualTo(2);
        assertThat(p.tokensTrained()).isEqualTo(400);
        assertThat(p.trainTokensPerSecond()).isCloseTo(400 / 2.0, within(1e-9));
        assertThat(p.queueDepth()).isZero();
        assertThat(p.fractionDone()).isCloseTo(2.0 / 3, within(1e-12));
        // One iteration left at the rate of one per (span between the acknowledgements).
        double span = jdbc.sql("SELECT extract(epoch FROM max(acked_at) - min(acked_at))::float8 FROM training_ack"
                        + " WHERE experiment_id = ?")
                .param(id)
                .query(Double.class)
                .single();
        assertThat(span).isGreaterThan(0.25);
        assertThat(p.etaSeconds()).isEqualTo((long) Math.ceil(span));

        // An evaluation: the latest one is summarised.
        long testTask = client.listTasks(id, Split.TEST, 0, 1).get(0).id();
        UUID older = client.createEvaluation(id, new CreateEvaluation(0L, null, 1, 1, "old"))
                .getBody()
                .id();
        UUID evaluation = client.createEvaluation(id, new CreateEvaluation(0L, null, 2, 1, "k2"))
                .getBody()
                .id();
        assertThat(older).isNotEqualTo(evaluation);
        client.postResults(
                evaluation,
                new PostResults(List.of(
                        new ResultRow(testTask, 0, 0, StepKind.SOLVE, 0.25, false),
                        new ResultRow(testTask, 0, 1, StepKind.IMPROVE, 0.5, false),
                        new ResultRow(testTask, 0, 2, StepKind.IMPROVE, 1.0, true))));
        var latest = client.progress(id).latestEvaluation();
        assertThat(latest.evaluationId()).isEqualTo(evaluation);
        assertThat(latest.policyVersion()).isZero();
        assertThat(latest.status()).isEqualTo(EvaluationStatus.RUNNING);
        assertThat(latest.meanQualityByStep()).containsExactly(0.25, 0.5, 1.0);
        assertThat(latest.deltaK()).isCloseTo(0.75, within(1e-12));

        // The third acknowledged batch reaches maxIterations = 3: completed in the acknowledging transaction.
        submitLease(id, 2, 3);
        var third = client.claim(id, new ClaimRequest(2, null, null));
        client.acknowledgeClaim(id, third.claimId(), new AckRequest(100L, 0.25));
        p = client.progress(id);
        assertThat(p.status()).isEqualTo(ExperimentStatus.COMPLETED);
        assertThat(client.getExperiment(id).status()).isEqualTo(ExperimentStatus.COMPLETED);
        assertThat(p.iteration()).isEqualTo(3);
        assertThat(p.fractionDone()).isEqualTo(1.0);
        assertThat(p.etaSeconds()).isNull();
        assertThat(refused(() -> client.lease(id, new LeaseRequest("w", 1, null)))
                        .getStatusCode()
                        .value())
                .isEqualTo(409);
    }

    @Test
    void theTokenBudgetCompletesAndTheAckBodyIsOptional() {
        UUID id = create(",\"maxTokens\":500");
        client.generateTasks(id, new GenerateTasks(3, 1, 10, 0));
        client.startExperiment(id);
        submitLease(id, 4, 1);

        // An old trainer acknowledges without a body: the iteration counts, no tokens.
        var claim = client.claim(id, new ClaimRequest(1, null, null));
        var bare = api.post(
                "/api/experiments/" + id + "/training/claims/" + claim.claimId() + "/ack", "", "application/json");
        assertThat(bare.status()).as(bare.text()).isEqualTo(200);
        var p = client.progress(id);
        assertThat(p.iteration()).isEqualTo(1);
        assertThat(p.tokensTrained()).isZero();
        assertThat(p.trainTokensPerSecond()).isZero();
        assertThat(p.budget()).isEqualTo(new ExperimentProgress.Budget(null, 500L));
        assertThat(p.fractionDone()).isZero();

        // Bad reports are 400s naming the field, and count nothing.
        var next = client.claim(id, new ClaimRequest(1, null, null));
        assertThat(api.fields(refused(() -> client.acknowledgeClaim(id, next.claimId(), new AckRequest(-1L, 1.0)))))
                .containsExactly("tokensTrained");
        assertThat(api.fields(refused(() -> client.acknowledgeClaim(id, next.claimId(), new AckRequest(10L, -0.5)))))
                .containsExactly("trainSeconds");
        assertThat(client.progress(id).iteration()).isEqualTo(1);

        client.acknowledgeClaim(id, next.claimId(), new AckRequest(300L, 1.0));
        p = client.progress(id);
        assertThat(p.status()).isEqualTo(ExperimentStatus.RUNNING);
        assertThat(p.fractionDone()).isCloseTo(0.6, within(1e-12));

        var last = client.claim(id, new ClaimRequest(1, null, null));
        client.acknowledgeClaim(id, last.claimId(), new AckRequest(250L, 1.0));
        p = client.progress(id);
        assertThat(p.tokensTrained()).isEqualTo(550);
        assertThat(p.status()).isEqualTo(ExperimentStatus.COMPLETED);
        assertThat(p.fractionDone()).isEqualTo(1.0);
        // Still-claimed work can be acknowledged after completion; the status stays COMPLETED.
        var after = client.claim(id, new ClaimRequest(1, null, null));
        client.acknowledgeClaim(id, after.claimId(), new AckRequest(10L, 0.1));
        assertThat(client.progress(id).iteration()).isEqualTo(4);
        assertThat(client.progress(id).status()).isEqualTo(ExperimentStatus.COMPLETED);
    }

    /**
     * Leases {@code size} slots and submits a group for each: qualities vary with the slot, and rollout {@code i}
     * carries {@code i + tokenSeed} token ids, so the token count is not a constant of the helper.
     */
    void submitLease(UUID id, int size, int tokenSeed) {
        var lease = client.lease(id, new LeaseRequest("w", size, null));
        var groups = new ArrayList<SubmitGroup>();
        for (LeaseSlot slot : lease.slots()) {
            var rollouts = new ArrayList<RolloutRecord>();
            double[] qualities = {0.0, 1.0, 0.25 * (slot.slot() % 4), 0.5};
            for (int i = 0; i < qualities.length; i++) {
                var base = TaskSpaceApi.rollout(slot, "Answer " + slot.slot() + "/" + i, qualities[i]);
                int n = i + tokenSeed;
                long[] tokens = new long[n];
                float[] logProbs = new float[n];
                Arrays.fill(logProbs, -0.5f);
                rollouts.add(new RolloutRecord(
                        base.response(), base.quality(), base.reward(), null, null, tokens, logProbs, null));
                tokensSubmitted += n;
                double[] sums = submitted.computeIfAbsent(slot.stepKind(), k -> new double[3]);
                sums[0] += base.reward();
                sums[1] += base.quality();
                sums[2] += 1;
            }
            groups.add(TaskSpaceApi.group(
                    SubmitGroup.keyOf(lease.leaseId(), slot.slot()), lease.leaseId(), slot, 0, rollouts));
        }
        for (var group : groups) {
            client.submitGroup(id, group);
        }
    }

    void conflict(Runnable call, String... detailParts) {
        HttpClientErrorException e = refused(call);
        assertThat(e.getStatusCode().value()).as(e.getResponseBodyAsString()).isEqualTo(409);
        assertThat(api.problem(e).get("detail").asString()).contains(detailParts);
    }

    static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
