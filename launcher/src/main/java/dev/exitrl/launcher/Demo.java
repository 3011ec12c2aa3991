package dev.exitrl.launcher;

import dev.exitrl.core.task.StepKind;
import dev.exitrl.taskapi.CreateExperiment;
import dev.exitrl.taskapi.EvaluationStatus;
import dev.exitrl.taskapi.EvaluationSummary;
import dev.exitrl.taskapi.EvaluationView;
import dev.exitrl.taskapi.ExperimentProgress;
import dev.exitrl.taskapi.ExperimentStatus;
import dev.exitrl.taskapi.ExperimentView;
import dev.exitrl.taskapi.GenerateTasks;
import dev.exitrl.taskapi.TaskSpaceClient;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./exit demo}: one countdown experiment with the from-scratch {@code tiny} model and the {@code exit} preset
 * (version 0 is the trainer's supervised warm-start, then ExIt), driven through the gateway with the typed
 * task-api client, shown as a live progress bar, then a K = 4 self-improvement evaluation on held-out tasks: the
 * table of mean quality per step, and the plot written to {@code data/demo/quality-vs-step.png}.
 *
 * <p>Sizes are small so that the whole demo fits in 15 minutes on two CPU cores (build included); they can be
 * changed with {@code EXIT_DEMO_ITERATIONS}, {@code EXIT_DEMO_WARM_START_STEPS}, {@code EXIT_DEMO_EVAL_SAMPLES}. A
 * second run finds the experiment by name: an unfinished one resumes where it stopped, a finished one shows its
 * evaluation without training again.
 */
final class Demo {
    static final String NAME = "exit-demo-countdown";
    static final int STEPS = 4;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern WARM_START_STEP = Pattern.compile("warm-start step (\\d+)/\\d+");
    private static final Duration POLL = Duration.ofSeconds(2);

    private final Path dataDir;
    private final PrintStream out;
    private final int iterations;
    private final int warmStartSteps;
    private final int evalSamples;
    private final int testTasks;

    Demo(Path dataDir, PrintStream out, int iterations, int warmStartSteps, int evalSamples, int testTasks) {
        this.dataDir = dataDir;
        this.out = out;
        this.iterations = iterations;
        this.warmStartSteps = warmStartSteps;
        this.evalSamples = evalSamples;
        this.testTasks = testTasks;
    }

    static Demo fromEnvironment(Path dataDir, PrintStream out) {
        return new Demo(
                dataDir,
                out,
                Integer.parseInt(Main.env("EXIT_DEMO_ITERATIONS", "20")),
                Integer.parseInt(Main.env("EXIT_DEMO_WARM_START_STEPS", "100")),
                Integer.parseInt(Main.env("EXIT_DEMO_EVAL_SAMPLES", "2")),
                Integer.parseInt(Main.env("EXIT_DEMO_TEST_TASKS", "16")));
    }

    /** Settings of the services for the demo: a shorter warm-start, short countdown answers, fast polling. */
    Map<String, List<String>> serviceArgs() {
        return Map.of(
                "trainer-service",
                List.of(
                        "--exit.trainer.device=cpu",
                        "--exit.trainer.poll-interval=PT1S",
                        "--exit.trainer.warm-start.steps=" + warmStartSteps),
                "rollout-service",
                List.of(
                        "--exit.rollout.device=cpu",
                        "--exit.rollout.poll-interval=PT1S",
                        "--exit.rollout.max-new-tokens=32"));
    }

    int run(Platform platform) throws IOException, InterruptedException {
        var rest = RestClient.builder()
                .baseUrl(platform.gatewayUrl().toString())
                .defaultHeader(
                        HttpHeaders.AUTHORIZATION,
                        "Bearer " + platform.secrets().apiKey())
                .build();
        var taskSpace = TaskSpaceClient.over(rest);

        ExperimentView experiment = find(taskSpace).orElse(null);
        if (experiment == null) {
            experiment = create(taskSpace);
        } else {
            out.printf(
                    "Found the demo experiment %s from an earlier run: %s, policy version %d%n",
                    experiment.id(), experiment.status(), experiment.policyVersion());
        }
        UUID id = experiment.id();
        if (experiment.status() == ExperimentStatus.CREATED) {
            experiment = taskSpace.startExperiment(id);
        } else if (experiment.status() == ExperimentStatus.PAUSED) {
            experiment = taskSpace.resumeExperiment(id);
        }
        if (experiment.status() == ExperimentStatus.FAILED) {
            out.println("The demo experiment " + id + " FAILED earlier; remove " + dataDir + " to start over.");
            return 1;
        }
        if (experiment.status() == ExperimentStatus.RUNNING) {
            if (!train(platform, taskSpace, id)) {
                return 1;
            }
        }

        var done = taskSpace.listEvaluations(id).stream()
                .filter(e -> e.status() == EvaluationStatus.COMPLETED && e.steps() == STEPS)
                .max(Comparator.comparing(EvaluationView::createdAt));
        UUID evaluationId;
        if (done.isPresent()) {
            evaluationId = done.get().id();
            out.println("The demo experiment is finished; its evaluation (policy version "
                    + done.get().policyVersion() + "):");
        } else {
            evaluationId = evaluate(platform, taskSpace, rest, id);
            if (evaluationId == null) {
                return 1;
            }
        }
        printTable(taskSpace.evaluationSummary(evaluationId));
        Path plot = dataDir.resolve("demo").resolve("quality-vs-step.png");
        Files.createDirectories(plot.getParent());
        byte[] png = rest.get()
                .uri("/api/evaluations/{id}/plot.png", evaluationId)
                .retrieve()
                .body(byte[].class);
        Files.write(plot, png);
        out.println("Plot (mean quality vs step): " + plot.toAbsolutePath());
        return 0;
    }

    private Optional<ExperimentView> find(TaskSpaceClient taskSpace) {
        return taskSpace.listExperiments().stream()
                .filter(e -> e.name().equals(NAME))
                .max(Comparator.comparing(ExperimentView::createdAt));
    }

    private ExperimentView create(TaskSpaceClient taskSpace) {
        var config = new LinkedHashMap<String, Object>();
        config.put("domain", "countdown");
        config.put("preset", "exit");
        config.put("model", "tiny");
        config.put("seed", 3);
        config.put("rolloutsPerPrompt", 4);
        config.put("promptsPerBatch", 8);
        config.put("bufferCapacity", 128);
        config.put("bufferMinSize", 8);
        config.put("maxStaleness", 4);
        config.put("learningRate", 0.0003);
        config.put("maxIterations", iterations); // the budget: the task space completes the experiment there
        var created = taskSpace
                .createExperiment(new CreateExperiment(NAME, JSON.valueToTree(config)))
                .getBody();
        var added = taskSpace.generateTasks(created.id(), new GenerateTasks(1, 1, 400, testTasks));
        out.printf(
                "Created the demo experiment %s: countdown, tiny model, exit preset, %d training batches, %d tasks "
                        + "(%s)%n",
                created.id(), iterations, added.added(), added.counts());
        return created;
    }

    /** Follows training until the iteration budget is reached; false if a service died. */
    private boolean train(Platform platform, TaskSpaceClient taskSpace, UUID id) throws InterruptedException {
        var experiment = taskSpace.getExperiment(id);
        if (!experiment.hasCheckpoint()) {
            long started = System.nanoTime();
            Path trainerLog = platform.service("trainer-service").log;
            try (var bar = bar("warm-start", warmStartSteps)) {
                while (!experiment.hasCheckpoint()) {
                    if (platform.failure().isDone()) {
                        return false;
                    }
                    bar.stepTo(warmStartStep(trainerLog));
                    bar.setExtraMessage(" version 0: supervised warm-start on countdown demonstrations, "
                            + Platform.since(started));
                    Thread.sleep(POLL.toMillis());
                    experiment = taskSpace.getExperiment(id);
                }
            }
        }
        try (var bar = bar("ExIt", iterations)) {
            while (true) {
                if (platform.failure().isDone()) {
                    return false;
                }
                ExperimentProgress progress = taskSpace.progress(id);
                Live live = live(progress);
                bar.stepTo(Math.min(iterations, live.iteration()));
                bar.setExtraMessage(live.message());
                if (progress.status() != ExperimentStatus.RUNNING || live.iteration() >= iterations) {
                    break;
                }
                Thread.sleep(POLL.toMillis());
            }
        }
        if (taskSpace.getExperiment(id).status() == ExperimentStatus.RUNNING) {
            // An experiment of an earlier demo with a larger budget: this demo's budget is reached, stop it here.
            taskSpace.stopExperiment(id);
        }
        return true;
    }

    /**
     * The trainer reports warm-start progress only in its log ("warm-start step 25/150"), which the launcher owns:
     * the newest such step, or 0.
     */
    static long warmStartStep(Path trainerLog) {
        try (var lines = Files.lines(trainerLog)) {
            return lines.map(WARM_START_STEP::matcher)
                    .filter(Matcher::find)
                    .mapToLong(m -> Long.parseLong(m.group(1)))
                    .max()
                    .orElse(0);
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    /** What the bar shows, from {@code GET .../progress}. */
    private static Live live(ExperimentProgress progress) {
        var message = new StringBuilder(
                String.format(Locale.ROOT, " v%d buffer %d", progress.policyVersion(), progress.bufferSize()));
        appendMap(message, " reward", progress.meanRewardByStepKind());
        appendMap(message, " quality", progress.meanQualityByStepKind());
        message.append(String.format(
                Locale.ROOT,
                " | rollout %.0f tok/s train %.0f tok/s",
                progress.rolloutTokensPerSecond(),
                progress.trainTokensPerSecond()));
        return new Live(progress.iteration(), message.toString());
    }

    private static void appendMap(StringBuilder message, String label, Map<StepKind, Double> means) {
        if (means != null && !means.isEmpty()) {
            message.append(label);
            means.forEach((kind, mean) -> message.append(
                    String.format(Locale.ROOT, " %s=%.2f", kind.name().toLowerCase(Locale.ROOT), mean)));
        }
    }

    private UUID evaluate(Platform platform, TaskSpaceClient taskSpace, RestClient rest, UUID id)
            throws InterruptedException {
        var request = new LinkedHashMap<String, Object>();
        request.put("experimentId", id.toString());
        request.put("split", "TEST");
        request.put("steps", STEPS);
        request.put("samples", evalSamples);
        request.put("label", "demo");
        JsonNode started = rest.post()
                .uri("/api/rollouts/evaluations")
                .contentType(MediaType.APPLICATION_JSON)
                .body(request)
                .retrieve()
                .body(JsonNode.class);
        UUID evaluationId = UUID.fromString(started.get("evaluationId").asString());
        long expected = started.path("tasks").asLong() * evalSamples;
        out.printf(
                "K-step evaluation %s of policy version %d: %d held-out tasks x %d samples, K = %d%n",
                evaluationId,
                started.path("policyVersion").asLong(),
                started.path("tasks").asLong(),
                evalSamples,
                STEPS);
        try (var bar = bar("evaluation", STEPS + 1)) {
            while (true) {
                if (platform.failure().isDone()) {
                    return null;
                }
                EvaluationSummary summary = taskSpace.evaluationSummary(evaluationId);
                long stepsDone = summary.perStep().stream()
                        .filter(s -> s.n() >= expected)
                        .count();
                bar.stepTo(stepsDone);
                bar.setExtraMessage(
                        summary.perStep().isEmpty()
                                ? " step 0"
                                : String.format(
                                        Locale.ROOT,
                                        " step %d mean quality %.3f",
                                        summary.perStep()
                                                .get(summary.perStep().size() - 1)
                                                .step(),
                                        summary.perStep()
                                                .get(summary.perStep().size() - 1)
                                                .meanQuality()));
                var status = summary.evaluation().status();
                if (status == EvaluationStatus.COMPLETED) {
                    bar.stepTo(STEPS + 1);
                    return evaluationId;
                }
                if (status == EvaluationStatus.FAILED) {
                    out.println("The evaluation failed; see the rollout-service log.");
                    return null;
                }
                Thread.sleep(POLL.toMillis());
            }
        }
    }

    private void printTable(EvaluationSummary summary) {
        out.println();
        out.println("  step | mean quality | accuracy |   n");
        out.println("  -----+--------------+----------+-----");
        for (var step : summary.perStep()) {
            out.printf(
                    Locale.ROOT,
                    "  %4d | %12.3f | %8.3f | %3d%n",
                    step.step(),
                    step.meanQuality(),
                    step.accuracy(),
                    step.n());
        }
        out.printf(
                Locale.ROOT,
                "  delta K (quality at step %d minus step 0): %s; net corrections (wrong->right minus right->wrong): "
                        + "%d of %d%n",
                STEPS,
                summary.deltaK() == null ? "n/a" : String.format(Locale.ROOT, "%+.3f", summary.deltaK()),
                summary.netCorrections(),
                summary.pairs());
    }

    private ProgressBar bar(String task, long max) {
        return new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(max)
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                .setUpdateIntervalMillis(500)
                .continuousUpdate()
                .setMaxRenderedLength(160)
                .build();
    }

    private record Live(long iteration, String message) {}
}
