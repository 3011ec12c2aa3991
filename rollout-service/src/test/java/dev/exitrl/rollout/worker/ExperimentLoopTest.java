package dev.exitrl.rollout.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.core.domain.BaseTask;
import dev.exitrl.core.domain.Domain;
import dev.exitrl.core.domain.DomainRegistry;
import dev.exitrl.core.domain.GeneratorSpec;
import dev.exitrl.core.experiment.ExperimentConfig;
import dev.exitrl.core.experiment.Preset;
import dev.exitrl.core.reward.RewardMode;
import dev.exitrl.core.task.History;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.core.task.TaskInstance;
import dev.exitrl.core.task.Turn;
import dev.exitrl.policy.Policy;
import dev.exitrl.policy.tokenizer.CharVocabulary;
import dev.exitrl.rollout.RolloutProperties;
import dev.exitrl.rollout.TinyPolicies;
import dev.exitrl.rollout.engine.Embedder;
import dev.exitrl.rollout.engine.RolloutEngine;
import dev.exitrl.rollout.engine.SamplingSettings;
import dev.exitrl.rollout.engine.SingleTurnEnvironment;
import dev.exitrl.rollout.sync.CheckpointServer;
import dev.exitrl.taskapi.ExperimentStatus;
import dev.exitrl.taskapi.ExperimentView;
import dev.exitrl.taskapi.LeaseRequest;
import dev.exitrl.taskapi.LeaseSlot;
import dev.exitrl.taskapi.LeaseView;
import dev.exitrl.taskapi.RolloutRecord;
import dev.exitrl.taskapi.SubmitGroup;
import dev.exitrl.taskapi.SubmitGroups;
import dev.exitrl.taskapi.SubmitOutcome;
import dev.exitrl.taskapi.TaskSpaceClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.HttpServerErrorException;

/**
 * One pass of the worker loop against a fake task space (only the calls the loop makes) and a real checkpoint served
 * over HTTP: the loop loads the announced version, leases promptsPerBatch capped by lease-batch-size, and submits the
 * lease's groups in one request, retried unchanged after a 503.
 */
class ExperimentLoopTest {
    static final Domain COUNTDOWN = DomainRegistry.standard().get("countdown");

    @TempDir
    Path dir;

    final UUID experiment = UUID.randomUUID();
    final UUID leaseId = UUID.randomUUID();
    final List<LeaseRequest> leases = new ArrayList<>();
    final List<SubmitGroups> submits = new ArrayList<>();
    ExperimentStatus status = ExperimentStatus.RUNNING;
    String checkpointUri;
    String checkpointSha;
    List<LeaseSlot> slots;
    String domain = "countdown";

    TaskSpaceClient fakeTaskSpace() {
        ExperimentConfig config = ExperimentConfig.defaults(domain, Preset.EXIT);
        return (TaskSpaceClient) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {TaskSpaceClient.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getExperiment":
                            return new ExperimentView(
                                    experiment,
                                    "e",
                                    domain,
                                    "exit",
                                    status,
                                    1,
                                    3,
                                    checkpointUri,
                                    checkpointSha,
                                    config,
                                    Instant.now(),
                                    Instant.now());
                        case "lease":
                            leases.add((LeaseRequest) args[1]);
                            return new LeaseView(
                                    leaseId, experiment, "w", 3, Instant.now().plusSeconds(60), slots);
                        case "submitGroups":
                            submits.add((SubmitGroups) args[1]);
                            if (submits.size() == 1) {
                                throw HttpServerErrorException.create(
                                        HttpStatus.SERVICE_UNAVAILABLE, "busy", HttpHeaders.EMPTY, null, null);
                            }
                            List<SubmitOutcome> out = new ArrayList<>();
                            for (SubmitGroup g : ((SubmitGroups) args[1]).groups()) {
                                out.add(new SubmitOutcome(1, 1, 0, "added", 0, 0, 1, submits.size() > 2));
                            }
                            return out;
                        case "releaseLease":
                            return null;
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    RolloutProperties properties() {
        return new RolloutProperties(
                URI.create("http://unused"),
                URI.create("http://unused"),
                "w1",
                "cpu",
                2,
                12,
                1.0,
                1.0,
                5L,
                16,
                0,
                Duration.ofMillis(10),
                dir.resolve("cache"),
                Duration.ofSeconds(30),
                3,
                true);
    }

    @Test
    void aBatchIsLeasedRolledOutAndSubmittedOnce_retriedWithTheSameKeysAfterA503() throws Exception {
        List<BaseTask> tasks = COUNTDOWN.generate(new GeneratorSpec(4, 1, 2, 0)).train();
        History h = History.of(Turn.of("Answer: 2 + 2", 1));
        slots = List.of(
                new LeaseSlot(
                        0,
                        10,
                        100,
                        0,
                        StepKind.SOLVE,
                        false,
                        tasks.get(0),
                        History.empty(),
                        COUNTDOWN.renderPrompt(tasks.get(0), StepKind.SOLVE, History.empty()),
                        null,
                        RewardMode.IMPROVEMENT,
                        2),
                new LeaseSlot(
                        1,
                        11,
                        101,
                        1,
                        StepKind.IMPROVE,
                        true,
                        tasks.get(1),
                        h,
                        COUNTDOWN.renderPrompt(tasks.get(1), StepKind.IMPROVE, h),
                        0.3,
                        RewardMode.IMPROVEMENT,
                        2));
        var registry = new SimpleMeterRegistry();
        var metrics = new RolloutMetrics(registry);
        RolloutProperties properties = properties();
        try (CheckpointServer server = new CheckpointServer();
                PolicyHolders holders = new PolicyHolders(properties, metrics)) {
            byte[] zip;
            try (Policy p = TinyPolicies.create(dir.resolve("p"), 1)) {
                zip = CheckpointServer.zip(p, dir.resolve("p"));
            }
            var loop = new ExperimentLoop(
                    experiment,
                    fakeTaskSpace(),
                    holders,
                    new RolloutEngine(new SingleTurnEnvironment(), new HistogramEmbedder()),
                    new SamplingSettings(12, 1.0, 1.0, 5),
                    properties,
                    metrics);

            assertThat(loop.step()).as("no checkpoint announced yet").isEqualTo(ExperimentLoop.Step.IDLE);
            assertThat(leases).isEmpty();

            checkpointUri = server.serve("/v3", zip).toString();
            checkpointSha = CheckpointServer.sha256(zip);
            assertThat(loop.step()).isEqualTo(ExperimentLoop.Step.BATCH);

            assertThat(leases).containsExactly(new LeaseRequest("w1", 2, null)); // promptsPerBatch capped at 2
            assertThat(submits).hasSize(2);
            assertThat(submits.get(1)).isSameAs(submits.get(0));
            List<SubmitGroup> groups = submits.get(0).groups();
            assertThat(groups).extracting(SubmitGroup::idempotencyKey).containsExactly(leaseId + ":0", leaseId + ":1");
            for (SubmitGroup g : groups) {
                LeaseSlot slot = slots.get(g.slot());
                assertThat(g.policyVersion()).isEqualTo(3);
                assertThat(g.prompt()).isEqualTo(slot.prompt());
                assertThat(g.rollouts()).hasSize(2);
                for (RolloutRecord r : g.rollouts()) {
                    assertThat(r.quality())
                            .isEqualTo(COUNTDOWN
                                    .verify(slot.baseTask(), r.response())
                                    .quality());
                    assertThat(TaskInstance.depthOf(r.history())).isEqualTo(slot.depth() + 1);
                    assertThat(r.diversity())
                            .as("the exit preset uses the bonus")
                            .isNotNull();
                    assertThat(r.tokenIds()).hasSameSizeAs(r.logProbs());
                }
            }
            assertThat(registry.get("exit.rollout.groups")
                            .tag("experiment", experiment.toString())
                            .counter()
                            .count())
                    .isEqualTo(2);
            assertThat(registry.get("exit.rollout.policy.version").gauge().value())
                    .isEqualTo(3);
            assertThat(holders.versions()).containsExactly(Map.entry(experiment, 3L));
            assertThat(registry.get("exit.rollout.generated.tokens").counter().count())
                    .isPositive();

            status = ExperimentStatus.PAUSED;
            assertThat(loop.step()).isEqualTo(ExperimentLoop.Step.STOP);
            assertThat(leases).hasSize(1);
        }
    }

    /** A cheap deterministic embedding (character counts): the loop test is about wiring, not embeddings. */
    /**
     * A tool-use experiment on a real (random) tiny policy through lease, multi-turn rollout and submit: the records
     * carry the policy mask and the truncation flag, and the masked tokens are the environment's.
     */
    @Test
    void aToolUseBatchSubmitsMaskedMultiTurnRollouts() throws Exception {
        domain = "tool-use";
        Domain toolUse = DomainRegistry.standard().get(domain);
        List<BaseTask> tasks = toolUse.generate(new GeneratorSpec(4, 2, 2, 0)).train();
        slots = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            slots.add(new LeaseSlot(
                    i,
                    10 + i,
                    100 + i,
                    0,
                    StepKind.SOLVE,
                    false,
                    tasks.get(i),
                    History.empty(),
                    toolUse.renderPrompt(tasks.get(i), StepKind.SOLVE, History.empty()),
                    null,
                    RewardMode.ABSOLUTE,
                    4));
        }
        var metrics = new RolloutMetrics(new SimpleMeterRegistry());
        RolloutProperties properties = properties();
        try (CheckpointServer server = new CheckpointServer();
                PolicyHolders holders = new PolicyHolders(properties, metrics)) {
            byte[] zip;
            try (Policy p = TinyPolicies.create(dir.resolve("p"), 1)) {
                zip = CheckpointServer.zip(p, dir.resolve("p"));
            }
            checkpointUri = server.serve("/v3", zip).toString();
            checkpointSha = CheckpointServer.sha256(zip);
            var loop = new ExperimentLoop(
                    experiment,
                    fakeTaskSpace(),
                    holders,
                    new RolloutEngine(new SingleTurnEnvironment(), new HistogramEmbedder()),
                    new SamplingSettings(24, 1.0, 1.0, 5),
                    properties,
                    metrics);
            assertThat(loop.step()).isEqualTo(ExperimentLoop.Step.BATCH);

            List<SubmitGroup> groups = submits.get(submits.size() - 1).groups();
            assertThat(groups).hasSize(2);
            int withObservations = 0;
            for (SubmitGroup g : groups) {
                assertThat(g.rollouts()).hasSize(4);
                for (RolloutRecord r : g.rollouts()) {
                    assertThat(r.policyMask()).hasSameSizeAs(r.tokenIds());
                    assertThat(r.logProbs()).hasSameSizeAs(r.tokenIds());
                    assertThat(r.policyMask()[0])
                            .as("the first token after the prompt is the model's")
                            .isTrue();
                    assertThat(r.truncated()).isNotNull();
                    assertThat(r.history().turnCount())
                            .as("training plays the first request")
                            .isEqualTo(1);
                    assertThat(r.quality()).isBetween(0.0, 1.0);
                    boolean observed = false;
                    for (int i = 0; i < r.tokenIds().length; i++) {
                        if (r.policyMask()[i]) {
                            assertThat(r.logProbs()[i]).isNegative();
                        } else {
                            assertThat(r.logProbs()[i]).isZero();
                            observed = true;
                        }
                    }
                    withObservations += observed ? 1 : 0;
                    // the last message cut at the 24-token limit (no EOS) makes the rollout truncated
                    long last = r.tokenIds()[r.tokenIds().length - 1];
                    boolean endsWithEos = last == CharVocabulary.EOS;
                    if (!endsWithEos && r.policyMask()[r.tokenIds().length - 1]) {
                        assertThat(r.truncated()).isTrue();
                    }
                }
            }
            System.out.println("tool-use rollouts with observations: " + withObservations + " of 8");
        }
    }

    static final class HistogramEmbedder implements Embedder {
        @Override
        public List<float[]> embed(List<String> texts) {
            List<float[]> out = new ArrayList<>();
            for (String t : texts) {
                float[] h = new float[128];
                for (char c : t.toCharArray()) {
                    h[c & 127]++;
                }
                out.add(h);
            }
            return out;
        }

        @Override
        public String name() {
            return "histogram";
        }
    }
}
