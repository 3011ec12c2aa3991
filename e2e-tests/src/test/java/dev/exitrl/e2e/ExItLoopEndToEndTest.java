package dev.exitrl.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.core.domain.Split;
import dev.exitrl.launcher.ServiceProcess;
import dev.exitrl.taskapi.CreateExperiment;
import dev.exitrl.taskapi.EvaluationStatus;
import dev.exitrl.taskapi.ExperimentStatus;
import dev.exitrl.taskapi.GenerateTasks;
import dev.exitrl.taskapi.StatusChange;
import dev.exitrl.taskapi.TaskSpaceClient;
import dev.exitrl.testsupport.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A tiny ExIt experiment end to end: countdown with the from-scratch {@code tiny} model (warm-started), the
 * {@code exit} preset, through task-service, trainer-service and rollout-service started as three processes on real
 * HTTP and an embedded PostgreSQL. It checks that the loop turns (policy versions advance and workers use them), that
 * the task space deepens (buffered instances of depth 2), that a K = 4 evaluation stores K + 1 points and plots, and
 * that the services export moving metrics.
 */
class ExItLoopEndToEndTest {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static ServiceProcess taskService;
    static ServiceProcess trainer;
    static ServiceProcess rollout;
    static TaskSpaceClient taskSpace;

    @BeforeAll
    static void startServices() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        Path work = Files.createTempDirectory("exit-e2e");
        Path logs = Path.of("target", "e2e-logs");
        Services services = new Services(root, logs, work);
        taskService = services.taskService(List.of("-Xmx512m"));
        taskService.awaitReady(Duration.ofMinutes(3));
        trainer = services.trainer(taskService.url(), 40);
        rollout = services.rollout(taskService.url(), 24);
        trainer.awaitReady(Duration.ofMinutes(3));
        rollout.awaitReady(Duration.ofMinutes(3));
        taskSpace = TestTokens.taskSpace(taskService.url());
    }

    @AfterAll
    static void stopServices() throws Exception {
        for (var service : new ServiceProcess[] {rollout, trainer, taskService}) {
            if (service != null) {
                service.close();
            }
        }
    }

    @Test
    void aTinyExperimentLearnsDeepensAndIsEvaluated() throws Exception {
        var config = JSON.readTree("""
                {"domain":"countdown","preset":"exit","model":"tiny","seed":3,
                 "rolloutsPerPrompt":4,"promptsPerBatch":4,"bufferCapacity":64,"bufferMinSize":4,
                 "selectProbability":0.7,"maxStaleness":4,"learningRate":0.0003}""");
        UUID id = taskSpace
                .createExperiment(new CreateExperiment("e2e", config))
                .getBody()
                .id();
        taskSpace.generateTasks(id, new GenerateTasks(1, 1, 40, 4));
        taskSpace.changeStatus(id, new StatusChange(ExperimentStatus.RUNNING));

        // The loop turns: the trainer announces versions, workers pick them up, the buffer grows deeper.
        awaitTrue(Duration.ofMinutes(4), "three policy versions and a buffered instance of depth >= 2", () -> {
            var experiment = taskSpace.getExperiment(id);
            var stats = taskSpace.bufferStats(id);
            return experiment.policyVersion() >= 3
                    && stats.depthHistogram().stream().anyMatch(d -> d.depth() >= 2);
        });
        var experiment = taskSpace.getExperiment(id);
        assertThat(experiment.checkpointUri()).startsWith("http://");
        assertThat(experiment.checkpointSha256()).hasSize(64);
        awaitTrue(Duration.ofMinutes(1), "the worker reports a version >= 1", () -> {
            JsonNode versions = get(rollout, "/api/rollouts/status").get("policyVersions");
            return versions.has(id.toString()) && versions.get(id.toString()).asLong() >= 1;
        });
        String rolloutMetrics = text(rollout, "/actuator/prometheus");
        String trainerMetrics = text(trainer, "/actuator/prometheus");

        // K = 4 evaluation on held-out tasks, run by the rollout-service, stored by the task space.
        taskSpace.changeStatus(id, new StatusChange(ExperimentStatus.PAUSED));
        var started = post(
                rollout,
                "/api/rollouts/evaluations",
                "{\"experimentId\":\"" + id + "\",\"split\":\"TEST\",\"steps\":4,\"samples\":2,\"label\":\"e2e\"}");
        UUID evaluationId = UUID.fromString(started.get("evaluationId").asString());
        awaitTrue(
                Duration.ofMinutes(2),
                "the evaluation completes",
                () -> taskSpace.evaluationSummary(evaluationId).evaluation().status() == EvaluationStatus.COMPLETED);
        var summary = taskSpace.evaluationSummary(evaluationId);
        assertThat(summary.perStep()).hasSize(5);
        assertThat(summary.perStep()).allSatisfy(step -> assertThat(step.n()).isEqualTo(4 * 2));
        assertThat(summary.tasks())
                .isEqualTo(taskSpace.taskCounts(id).get(Split.TEST).longValue());
        var plot = HTTP.send(
                TestTokens.request(taskService.url().resolve("/api/evaluations/" + evaluationId + "/plot.png"))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(plot.statusCode()).isEqualTo(200);
        assertThat(plot.body()).startsWith(new byte[] {(byte) 0x89, 'P', 'N', 'G'});

        // Metrics moved while the loop ran.
        assertThat(metric(rolloutMetrics, "exit_rollout_generated_tokens_total", id))
                .isPositive();
        assertThat(metric(text(rollout, "/actuator/prometheus"), "exit_rollout_generated_tokens_total", id))
                .isGreaterThanOrEqualTo(metric(rolloutMetrics, "exit_rollout_generated_tokens_total", id));
        assertThat(metric(trainerMetrics, "exit_trainer_step_time_seconds_count", id))
                .isGreaterThanOrEqualTo(3);
        assertThat(trainer.isAlive() && rollout.isAlive() && taskService.isAlive())
                .isTrue();

        // Every loop metric the Grafana dashboard and the alert rules name is one these live services export
        // (deploy-tests checks the task-service's names against a live task-service).
        String live = text(rollout, "/actuator/prometheus") + text(trainer, "/actuator/prometheus");
        Path root = Path.of("").toAbsolutePath().getParent();
        String deployed = Files.readString(root.resolve("deploy/grafana/dashboards/exit.json"))
                + Files.readString(root.resolve("deploy/prometheus/alerts.yml"));
        Set<String> named = Pattern.compile("exit_(?:rollout|trainer)_[a-z_]+")
                .matcher(deployed)
                .results()
                .map(MatchResult::group)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(named).hasSizeGreaterThanOrEqualTo(8);
        assertThat(named)
                .as("loop metrics in the dashboard or alerts that no live service exports")
                .allSatisfy(name -> assertThat(
                                live.lines().anyMatch(l -> l.startsWith(name + "{") || l.startsWith(name + " ")))
                        .as(name)
                        .isTrue());
    }

    // --- helpers

    static void awaitTrue(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            for (var service : new ServiceProcess[] {taskService, trainer, rollout}) {
                if (!service.isAlive()) {
                    throw new AssertionError(service.name + " died while waiting for " + what + ":\n" + service.tail());
                }
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("timed out waiting for " + what + "\n--- trainer:\n" + trainer.tail()
                + "\n--- rollout:\n" + rollout.tail());
    }

    /** The value of {@code name}'s sample tagged with {@code experiment}, or 0 when absent. */
    static double metric(String exposition, String name, UUID experiment) {
        return exposition
                .lines()
                .filter(line -> line.startsWith(name + "{") && line.contains(experiment.toString()))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    static JsonNode get(ServiceProcess service, String path) {
        return JSON.readTree(text(service, path));
    }

    static String text(ServiceProcess service, String path) {
        try {
            return HTTP.send(
                            TestTokens.request(service.url().resolve(path)).build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (Exception e) {
            throw new IllegalStateException("GET " + path + " on " + service.name + " failed", e);
        }
    }

    static JsonNode post(ServiceProcess service, String path, String json) throws Exception {
        var response = HTTP.send(
                TestTokens.request(URI.create(service.url() + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        return JSON.readTree(response.body());
    }
}
