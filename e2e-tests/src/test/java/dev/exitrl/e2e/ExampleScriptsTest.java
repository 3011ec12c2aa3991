package dev.exitrl.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.launcher.Platform;
import dev.exitrl.launcher.ServiceProcess;
import dev.exitrl.taskapi.ExperimentStatus;
import dev.exitrl.taskapi.StatusChange;
import dev.exitrl.taskapi.TaskSpaceClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.http.HttpHeaders;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Each script of {@code examples/} run as a researcher runs it (bash, curl, jq; {@code EXIT_URL} and
 * {@code EXIT_API_KEY} from the environment) against the platform started by the launcher (its PostgreSQL and the
 * four services as processes on loopback, through the gateway), with small sizes passed through the scripts'
 * variables. Then the launcher's shutdown must leave none of its processes running.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExampleScriptsTest {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static Path root;
    static Path work;
    static Platform platform;
    static TaskSpaceClient taskSpace;
    static UUID checkpointExperiment;

    @BeforeAll
    static void startPlatform() throws Exception {
        root = Path.of("").toAbsolutePath().getParent();
        work = Files.createTempDirectory("exit-examples");
        var ports = new HashMap<String, Integer>();
        for (String name : List.of("gateway", "task-service", "rollout-service", "trainer-service", "postgres")) {
            ports.put(name, ServiceProcess.freePort());
        }
        platform = new Platform(
                new Platform.Settings(
                        root,
                        work.resolve("data"),
                        Path.of("target", "examples-logs").toAbsolutePath(),
                        ports,
                        List.of(),
                        Map.of(
                                "trainer-service",
                                List.of(
                                        "--exit.trainer.device=cpu",
                                        "--exit.trainer.poll-interval=PT1S",
                                        "--exit.trainer.warm-start.steps=5"),
                                "rollout-service",
                                List.of(
                                        "--exit.rollout.device=cpu",
                                        "--exit.rollout.poll-interval=PT1S",
                                        "--exit.rollout.max-new-tokens=8"))),
                System.out);
        platform.start(Duration.ofMinutes(4));
        taskSpace = TaskSpaceClient.over(RestClient.builder()
                .baseUrl(platform.gatewayUrl().toString())
                .defaultHeader(
                        HttpHeaders.AUTHORIZATION,
                        "Bearer " + platform.secrets().apiKey())
                .build());
    }

    @AfterAll
    static void stopPlatformAndLeaveNothingBehind() throws Exception {
        if (platform == null) {
            return;
        }
        var pids = new ArrayList<ProcessHandle>();
        pids.add(platform.postgresProcess().toHandle());
        for (String name : Platform.SERVICES) {
            ProcessHandle.of(platform.service(name).pid()).ifPresent(pids::add);
        }
        platform.close();
        for (var process : pids) {
            process.onExit().get(5, TimeUnit.SECONDS);
            assertThat(process.isAlive()).as("pid " + process.pid()).isFalse();
        }
        assertThat(work.resolve("data/postgres/postmaster.pid")).doesNotExist();
    }

    @Test
    @Order(1)
    void importsAJsonlMathDataset() throws Exception {
        Path file = root.resolve("examples/data/math-sample.jsonl");
        var output = script("import-math-jsonl.sh", Map.of("NAME", "examples-math"), file.toString());
        var id = UUID.fromString(output.get(0));
        JsonNode counts = JSON.readTree(output.get(1));
        assertThat(counts.get("TRAIN").asLong())
                .isEqualTo(Files.readAllLines(file).size());
        assertThat(taskSpace.getExperiment(id).domain()).isEqualTo("math");
    }

    @Test
    @Order(2)
    void trainsAnHfCheckpointDirectory() throws Exception {
        Path checkpoint = hfTiny().resolve("qwen2");
        var output = script(
                "own-checkpoint.sh",
                Map.of("ITERATIONS", "", "TRAIN_TASKS", "16", "TEST_TASKS", "2", "TIMEOUT", "180"),
                checkpoint.toString());
        JsonNode view = JSON.readTree(output.get(output.size() - 1));
        assertThat(view.get("checkpointUri").asString()).startsWith("http://127.0.0.1:");
        assertThat(view.get("model").asString())
                .isEqualTo(checkpoint.toRealPath().toString());
        checkpointExperiment = UUID.fromString(view.get("id").asString());
        assertThat(taskSpace.getExperiment(checkpointExperiment).status()).isEqualTo(ExperimentStatus.RUNNING);
    }

    @Test
    @Order(3)
    void followsProgress() throws Exception {
        var output = script(
                "follow-progress.sh", Map.of("MAX_POLLS", "2", "INTERVAL", "1"), checkpointExperiment.toString());
        assertThat(output).hasSize(2);
        for (String line : output) {
            JsonNode progress = JSON.readTree(line);
            assertThat(progress.get("status").asString()).isEqualTo("RUNNING");
            assertThat(progress.get("policyVersion").asLong()).isGreaterThanOrEqualTo(0);
            assertThat(progress.get("iteration").asLong()).isGreaterThanOrEqualTo(0);
            assertThat(progress.has("meanRewardByStepKind")).isTrue();
        }
    }

    @Test
    @Order(4)
    void evaluatesAndDownloadsCsvAndPlot() throws Exception {
        taskSpace.changeStatus(checkpointExperiment, new StatusChange(ExperimentStatus.PAUSED));
        Path out = work.resolve("eval-out");
        var output = script(
                "evaluate.sh",
                Map.of("STEPS", "1", "SAMPLES", "1", "LIMIT", "2", "OUT_DIR", out.toString(), "TIMEOUT", "120"),
                checkpointExperiment.toString());
        JsonNode summary = JSON.readTree(output.get(output.size() - 1));
        String evaluationId = summary.get("evaluationId").asString();
        assertThat(summary.get("perStep")).hasSize(2);
        assertThat(summary.get("perStep").get(1).get("n").asLong()).isEqualTo(2);
        List<String> csv = Files.readAllLines(out.resolve(evaluationId + ".csv"));
        assertThat(csv).hasSize(1 + 2 * 2); // header, 2 tasks x 1 sample x (K + 1) steps
        assertThat(Files.readAllBytes(out.resolve(evaluationId + ".png"))).startsWith(0x89, 'P', 'N', 'G');
    }

    @Test
    @Order(5)
    void startsTheAblationLadder() throws Exception {
        var output = script(
                "ablation-ladder.sh",
                Map.of(
                        "ITERATIONS", "3",
                        "TRAIN_TASKS", "8",
                        "TEST_TASKS", "2",
                        "WAIT", "0",
                        "OUT_DIR", work.resolve("ladder").toString()));
        assertThat(output).hasSize(5);
        var presets = new ArrayList<String>();
        for (String line : output) {
            String[] parts = line.split("\t");
            var experiment = taskSpace.getExperiment(UUID.fromString(parts[1]));
            assertThat(experiment.preset()).isEqualTo(parts[0]);
            assertThat(experiment.domain()).isEqualTo("countdown");
            assertThat(experiment.status()).isEqualTo(ExperimentStatus.RUNNING);
            assertThat(experiment.seed()).isEqualTo(1);
            assertThat(experiment.config().maxIterations()).isEqualTo(3);
            presets.add(parts[0]);
            taskSpace.changeStatus(experiment.id(), new StatusChange(ExperimentStatus.PAUSED));
        }
        assertThat(presets).containsExactly("grpo", "curriculum", "improve", "diverge", "exit");
        assertThat(Files.readAllLines(work.resolve("ladder/ladder.tsv"))).isEqualTo(output);
    }

    @Test
    @Order(6)
    void aServiceKilledWithSigkillIsReportedAtOnceAndTheDatabaseStaysTheLaunchersChild() throws Exception {
        var taskService =
                ProcessHandle.of(platform.service("task-service").pid()).orElseThrow();
        assertThat(platform.failure()).isNotDone();
        Runtime.getRuntime()
                .exec(new String[] {"kill", "-9", Long.toString(taskService.pid())})
                .waitFor();
        String failure = platform.failure().get(10, TimeUnit.SECONDS);
        assertThat(failure).contains("task-service exited unexpectedly");
        // The database is not left orphaned: still running, as a child of this (the launcher's) JVM, until close().
        assertThat(platform.postgresProcess().isAlive()).isTrue();
        assertThat(ProcessHandle.current().children().map(ProcessHandle::pid))
                .contains(platform.postgresProcess().pid());
    }

    /** Runs {@code examples/<name>} with bash; fails with its stderr unless it exits 0; returns its stdout lines. */
    static List<String> script(String name, Map<String, String> env, String... args) throws Exception {
        var command = new ArrayList<>(
                List.of("bash", root.resolve("examples").resolve(name).toString()));
        command.addAll(List.of(args));
        Path stderr = work.resolve(name + ".err");
        var builder = new ProcessBuilder(command).directory(work.toFile()).redirectError(stderr.toFile());
        builder.environment().put("EXIT_URL", platform.gatewayUrl().toString());
        builder.environment().put("EXIT_API_KEY", platform.secrets().apiKey());
        builder.environment().putAll(env);
        var process = builder.start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue())
                .as(name + " failed; stdout:\n" + stdout + "\nstderr:\n" + Files.readString(stderr))
                .isZero();
        return stdout.lines().toList();
    }

    static Path hfTiny() throws IOException {
        String explicit = System.getenv("EXIT_FIXTURES");
        if (explicit != null && !explicit.isBlank()) {
            Path nested = Path.of(explicit).resolve("hf-tiny");
            return Files.isDirectory(nested) ? nested : Path.of(explicit);
        }
        for (Path dir = root; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("shared/fixtures/hf-tiny"))) {
                return dir.resolve("shared/fixtures/hf-tiny");
            }
        }
        throw new IllegalStateException("shared/fixtures/hf-tiny not found above " + root + "; set EXIT_FIXTURES");
    }
}
