package dev.exitrl.rollout.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exitrl.core.domain.BaseTask;
import dev.exitrl.core.domain.DomainRegistry;
import dev.exitrl.core.domain.GeneratorSpec;
import dev.exitrl.core.domain.Split;
import dev.exitrl.core.experiment.ExperimentConfig;
import dev.exitrl.core.experiment.Preset;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.policy.Policy;
import dev.exitrl.rollout.RolloutProperties;
import dev.exitrl.rollout.TinyPolicies;
import dev.exitrl.rollout.engine.RolloutEngine;
import dev.exitrl.rollout.engine.SamplingSettings;
import dev.exitrl.rollout.engine.SingleTurnEnvironment;
import dev.exitrl.rollout.sync.CheckpointServer;
import dev.exitrl.rollout.worker.PolicyHolders;
import dev.exitrl.rollout.worker.RolloutMetrics;
import dev.exitrl.taskapi.BaseTaskView;
import dev.exitrl.taskapi.CreateEvaluation;
import dev.exitrl.taskapi.EvaluationStatus;
import dev.exitrl.taskapi.EvaluationView;
import dev.exitrl.taskapi.ExperimentStatus;
import dev.exitrl.taskapi.ExperimentView;
import dev.exitrl.taskapi.PostResults;
import dev.exitrl.taskapi.ResultRow;
import dev.exitrl.taskapi.ResultsAppended;
import dev.exitrl.taskapi.TaskSpaceClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.ResponseEntity;
import org.springframework.web.server.ResponseStatusException;

/** An evaluation against a fake task space: opened for the announced version, fed step by step, completed. */
class EvaluationServiceTest {
    @TempDir
    Path dir;

    final UUID experiment = UUID.randomUUID();
    final UUID evaluationId = UUID.randomUUID();
    final List<CreateEvaluation> created = new ArrayList<>();
    final List<PostResults> posted = new ArrayList<>();
    final CountDownLatch completed = new CountDownLatch(1);
    String checkpointUri;
    String checkpointSha;

    TaskSpaceClient fakeTaskSpace(List<BaseTask> tasks) {
        ExperimentConfig config = ExperimentConfig.defaults("countdown", Preset.GRPO);
        return (TaskSpaceClient) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {TaskSpaceClient.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getExperiment":
                            return new ExperimentView(
                                    experiment,
                                    "e",
                                    "countdown",
                                    "grpo",
                                    ExperimentStatus.COMPLETED,
                                    1,
                                    2,
                                    checkpointUri,
                                    checkpointSha,
                                    config,
                                    Instant.now(),
                                    Instant.now());
                        case "listTasks":
                            int offset = (int) args[2];
                            int limit = (int) args[3];
                            List<BaseTaskView> page = new ArrayList<>();
                            for (int i = offset; i < Math.min(tasks.size(), offset + limit); i++) {
                                page.add(new BaseTaskView(500 + i, i, tasks.get(i)));
                            }
                            return page;
                        case "createEvaluation":
                            CreateEvaluation c = (CreateEvaluation) args[1];
                            created.add(c);
                            return ResponseEntity.ok(new EvaluationView(
                                    evaluationId,
                                    experiment,
                                    c.policyVersion(),
                                    c.split(),
                                    c.steps(),
                                    c.samples(),
                                    EvaluationStatus.RUNNING,
                                    c.label(),
                                    Instant.now(),
                                    null));
                        case "postResults":
                            posted.add((PostResults) args[1]);
                            return new ResultsAppended(
                                    ((PostResults) args[1]).results().size(), 0, 0);
                        case "completeEvaluation":
                            completed.countDown();
                            return null;
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    @Test
    void runsTheAnnouncedVersion_postsEachStepWithTaskRowIds_thenCompletes() throws Exception {
        List<BaseTask> tasks = DomainRegistry.standard()
                .get("countdown")
                .generate(new GeneratorSpec(2, 1, 0, 3))
                .test();
        var properties = new RolloutProperties(
                URI.create("http://unused"),
                URI.create("http://unused"),
                "w1",
                "cpu",
                4,
                8,
                1.0,
                1.0,
                1L,
                16,
                0,
                Duration.ofMillis(10),
                dir.resolve("cache"),
                Duration.ofSeconds(30),
                3,
                false);
        try (CheckpointServer server = new CheckpointServer();
                PolicyHolders holders = new PolicyHolders(properties, new RolloutMetrics(new SimpleMeterRegistry()))) {
            byte[] zip;
            try (Policy p = TinyPolicies.create(dir.resolve("p"), 1)) {
                zip = CheckpointServer.zip(p, dir.resolve("p"));
            }
            checkpointUri = server.serve("/v2", zip).toString();
            checkpointSha = CheckpointServer.sha256(zip);
            var service = new EvaluationService(
                    fakeTaskSpace(tasks),
                    holders,
                    new EvaluationRunner(new RolloutEngine(new SingleTurnEnvironment(), null)),
                    new SamplingSettings(8, 1.0, 1.0, 1));

            assertThatThrownBy(() -> service.start(
                            new EvaluationController.StartEvaluation(experiment, 1L, null, 1, 1, null, null)))
                    .isInstanceOf(ResponseStatusException.class)
                    .hasMessageContaining("only the announced policy version 2");

            var started = service.start(new EvaluationController.StartEvaluation(experiment, null, null, 2, 2, 2, "t"));
            assertThat(started.evaluationId()).isEqualTo(evaluationId);
            assertThat(started.policyVersion()).isEqualTo(2);
            assertThat(started.tasks()).isEqualTo(2);
            assertThat(created).containsExactly(new CreateEvaluation(2L, Split.TEST, 2, 2, "t"));
            assertThat(completed.await(120, TimeUnit.SECONDS)).isTrue();
            service.close();

            assertThat(posted).hasSize(3); // one post per step
            Set<String> keys = new HashSet<>();
            for (int k = 0; k < 3; k++) {
                for (ResultRow r : posted.get(k).results()) {
                    assertThat(r.step()).isEqualTo(k);
                    assertThat(r.stepKind()).isEqualTo(k == 0 ? StepKind.SOLVE : StepKind.IMPROVE);
                    assertThat(r.baseTaskId()).isIn(500L, 501L);
                    assertThat(keys.add(r.baseTaskId() + "/" + r.sample() + "/" + r.step()))
                            .isTrue();
                }
            }
            assertThat(keys).hasSize(2 * 2 * 3);
        }
    }
}
