package dev.exitrl.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.launcher.ServiceProcess;
import dev.exitrl.taskapi.CreateExperiment;
import dev.exitrl.taskapi.EvaluationStatus;
import dev.exitrl.taskapi.EvaluationSummary;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The learning check (tagged {@code learning}, not in the default suite; about 10-15 minutes on 2 cores):
 * {@code ./mvnw -B -q package -DskipTests && ./mvnw -B -Plearning -pl e2e-tests -am verify} (the services' jars must be
 * built first: e2e-tests starts them as processes).
 *
 * <p>Countdown at difficulty 1 with the from-scratch {@code tiny} preset and the {@code exit} preset, through the
 * three services as processes. Version 0 (the warm-started checkpoint) is evaluated on the held-out split with K = 4
 * before any rollout exists: the rollout-service is started only after version 0 is announced, so the evaluation
 * pins exactly version 0. Then the loop runs {@code config.iterations} versions and the final version is evaluated
 * the same way. The check, on the held-out split: the final version's mean quality over the K+1 steps is at least
 * three times version 0's and 0.01 above it, and its share of valid answers (quality above 0) is higher by a
 * one-sided two-proportion z-test at p < 0.01 (z > 2.33). Absolute numbers are small at this model size (2 layers,
 * width 64): what is checked is a significant, several-fold gain, not a good countdown player. The table, iterations
 * per minute and tokens per second are printed and written to {@code target/learning-logs/learning-check.txt}.
 *
 * <p>Knobs (system properties, for reruns): {@code learning.iterations} (default 40), {@code learning.warmStartSteps}
 * (300), {@code learning.phaseMinutes} (30: the time limit of warm-start and of each evaluation; the loop
 * gets four times that).
 */
@Tag("learning")
class LearningCheckTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int K = 4;

    private final List<ServiceProcess> services = new ArrayList<>();
    private int phaseMinutes;

    @AfterEach
    void stop() throws Exception {
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).close();
        }
    }

    @Test
    void theLoopImprovesHeldOutKStepQuality() throws Exception {
        int iterations = Integer.getInteger("learning.iterations", 40);
        int warmStartSteps = Integer.getInteger("learning.warmStartSteps", 300);
        phaseMinutes = Integer.getInteger("learning.phaseMinutes", 30);
        Path root = Path.of("").toAbsolutePath().getParent();
        Path work = Files.createTempDirectory("exit-learning");
        Path logs = Path.of("target", "learning-logs");
        Services services = new Services(root, logs, work);
        ServiceProcess taskService = start(services.taskService(List.of("-Xmx512m")));
        taskService.awaitReady(Duration.ofMinutes(3));
        ServiceProcess trainer = start(services.trainer(taskService.url(), warmStartSteps));
        trainer.awaitReady(Duration.ofMinutes(3));
        TaskSpaceClient taskSpace = TestTokens.taskSpace(taskService.url());

        var config = JSON.readTree("""
                {"domain":"countdown","preset":"exit","model":"tiny","seed":5,
                 "rolloutsPerPrompt":8,"promptsPerBatch":8,"bufferCapacity":256,"bufferMinSize":8,
                 "maxStaleness":2,"learningRate":0.001,"iterations":%d}""".formatted(iterations));
        UUID id = taskSpace
                .createExperiment(new CreateExperiment("learning-check", config))
                .getBody()
                .id();
        taskSpace.generateTasks(id, new GenerateTasks(1, 1, 500, 32));
        long start = System.nanoTime();
        taskSpace.changeStatus(id, new StatusChange(ExperimentStatus.RUNNING));
        await(
                Duration.ofMinutes(20),
                "version 0 announced",
                () -> taskSpace.getExperiment(id).hasCheckpoint());
        double warmMinutes = minutes(start);

        ServiceProcess rollout = start(services.rollout(taskService.url(), 32));
        rollout.awaitReady(Duration.ofMinutes(3));
        UUID before = evaluate(rollout, id, 0, "version 0");
        long loopStart = System.nanoTime();

        await(
                Duration.ofMinutes(4L * phaseMinutes),
                iterations + " iterations",
                () -> taskSpace.getExperiment(id).status() == ExperimentStatus.COMPLETED);
        double loopMinutes = minutes(loopStart);
        long finalVersion = taskSpace.getExperiment(id).policyVersion();
        UUID after = evaluate(rollout, id, finalVersion, "final version");

        EvaluationSummary v0 = await(taskSpace, before);
        EvaluationSummary vn = await(taskSpace, after);
        String rolloutMetrics = text(rollout, "/actuator/prometheus");
        String trainerMetrics = text(trainer, "/actuator/prometheus");
        double generated = metric(rolloutMetrics, "exit_rollout_generated_tokens_total", id);
        double trainRate = metric(trainerMetrics, "exit_trainer_tokens_per_second", id);

        StringBuilder table = new StringBuilder("\nLearning check: countdown difficulty 1, tiny, exit preset\n");
        table.append("step | v0 quality | v0 acc | v").append(finalVersion).append(" quality | acc\n");
        for (int k = 0; k <= K; k++) {
            var a = v0.perStep().get(k);
            var b = vn.perStep().get(k);
            table.append(String.format(
                    Locale.ROOT,
                    "%4d | %10.4f | %6.3f | %10.4f | %6.3f%n",
                    k,
                    a.meanQuality(),
                    a.accuracy(),
                    b.meanQuality(),
                    b.accuracy()));
        }
        double q0 = mean(v0);
        double qn = mean(vn);
        table.append(String.format(
                Locale.ROOT,
                "mean over steps: v0 %.4f, final %.4f; warm-start %.1f min; loop %.1f min for %d versions "
                        + "(%.2f iterations/min); rollout %.1f tokens/s (generated / loop time), train %.1f tokens/s (last step)%n",
                q0,
                qn,
                warmMinutes,
                loopMinutes,
                finalVersion,
                finalVersion / loopMinutes,
                generated / (loopMinutes * 60),
                trainRate));
        System.out.println(table);

        long[] valid0 = validAnswers(taskService, before);
        long[] validN = validAnswers(taskService, after);
        double z = twoProportionZ(valid0[0], valid0[1], validN[0], validN[1]);
        String counts = String.format(
                Locale.ROOT,
                "answers with quality > 0: v0 %d of %d, final %d of %d (z = %.2f)%n",
                valid0[0],
                valid0[1],
                validN[0],
                validN[1],
                z);
        System.out.println(counts);
        Files.writeString(logs.resolve("learning-check.txt"), table + counts);

        assertThat(qn)
                .as("final-version held-out quality, at least 3x version 0's" + table)
                .isGreaterThan(3 * q0);
        assertThat(qn).as("and at least 0.01 above it" + table).isGreaterThan(q0 + 0.01);
        assertThat(z)
                .as("more valid answers than version 0, one-sided two-proportion z-test at p < 0.01: " + counts)
                .isGreaterThan(2.33);
    }

    /** {valid, total}: held-out answers (every task, sample and step) of an evaluation with quality above 0. */
    private static long[] validAnswers(ServiceProcess taskService, UUID evaluation) {
        String csv = text(taskService, "/api/evaluations/" + evaluation + "/results.csv");
        long valid = 0;
        long total = 0;
        for (String line : csv.lines().skip(1).toList()) {
            // ...,quality,correct: the two last fields (the task key before them may hold quoted commas).
            String head = line.substring(0, line.lastIndexOf(','));
            double quality = Double.parseDouble(head.substring(head.lastIndexOf(',') + 1));
            total++;
            if (quality > 0) {
                valid++;
            }
        }
        assertThat(total).as("result rows of " + evaluation).isEqualTo(32L * 2 * (K + 1));
        return new long[] {valid, total};
    }

    /** z of the one-sided test that proportion b exceeds proportion a (pooled variance). */
    static double twoProportionZ(long hitsA, long nA, long hitsB, long nB) {
        double pooled = (double) (hitsA + hitsB) / (nA + nB);
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / nA + 1.0 / nB));
        return se == 0 ? 0 : ((double) hitsB / nB - (double) hitsA / nA) / se;
    }

    private ServiceProcess start(ServiceProcess process) {
        services.add(process);
        return process;
    }

    private UUID evaluate(ServiceProcess rollout, UUID id, long version, String what) throws Exception {
        var response = HTTP.send(
                TestTokens.request(URI.create(rollout.url() + "/api/rollouts/evaluations"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"experimentId\":\"%s\",\"policyVersion\":%d,"
                                        .formatted(id, version)
                                + "\"split\":\"TEST\",\"steps\":" + K + ",\"samples\":2,\"label\":\"" + what + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(what + ": " + response.body()).isEqualTo(202);
        return UUID.fromString(
                JSON.readTree(response.body()).get("evaluationId").asString());
    }

    private EvaluationSummary await(TaskSpaceClient taskSpace, UUID evaluation) throws InterruptedException {
        await(
                Duration.ofMinutes(phaseMinutes),
                "evaluation " + evaluation,
                () -> taskSpace.evaluationSummary(evaluation).evaluation().status() == EvaluationStatus.COMPLETED);
        var summary = taskSpace.evaluationSummary(evaluation);
        assertThat(summary.perStep()).hasSize(K + 1);
        assertThat(summary.tasks()).isEqualTo(32);
        return summary;
    }

    private static double mean(EvaluationSummary summary) {
        return summary.perStep().stream()
                .mapToDouble(EvaluationSummary.StepSummary::meanQuality)
                .average()
                .orElseThrow();
    }

    private void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            for (ServiceProcess service : services) {
                if (!service.isAlive()) {
                    throw new AssertionError(service.name + " died while waiting for " + what + ":\n" + service.tail());
                }
            }
            Thread.sleep(2000);
        }
        StringBuilder tails = new StringBuilder("timed out waiting for " + what);
        for (ServiceProcess service : services) {
            tails.append("\n--- ").append(service.name).append(":\n").append(service.tail());
        }
        throw new AssertionError(tails.toString());
    }

    private static double minutes(long startNanos) {
        return (System.nanoTime() - startNanos) / 60e9;
    }

    private static String text(ServiceProcess service, String path) {
        return ExItLoopEndToEndTest.text(service, path);
    }

    private static double metric(String exposition, String name, UUID experiment) {
        return ExItLoopEndToEndTest.metric(exposition, name, experiment);
    }
}
