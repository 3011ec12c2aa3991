package dev.exitrl.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.core.domain.Split;
import dev.exitrl.core.reward.Rewards;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.launcher.ServiceProcess;
import dev.exitrl.taskapi.CreateEvaluation;
import dev.exitrl.taskapi.CreateExperiment;
import dev.exitrl.taskapi.ExperimentStatus;
import dev.exitrl.taskapi.GenerateTasks;
import dev.exitrl.taskapi.LeaseRequest;
import dev.exitrl.taskapi.LeaseSlot;
import dev.exitrl.taskapi.PolicyVersionRequest;
import dev.exitrl.taskapi.PostResults;
import dev.exitrl.taskapi.ResultRow;
import dev.exitrl.taskapi.RolloutRecord;
import dev.exitrl.taskapi.StatusChange;
import dev.exitrl.taskapi.SubmitGroup;
import dev.exitrl.taskapi.TaskSpaceClient;
import dev.exitrl.testsupport.TestTokens;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard in a real browser against live services: task-service (embedded PostgreSQL) and the gateway as
 * processes, two experiments filled through the gateway with the typed client (groups under three policy versions,
 * a K-step evaluation each), then headless Chromium loads the page with the key in the URL fragment. The DOM it
 * leaves must list the experiments, the evaluations and a lineage, every chart must report points, and the
 * screenshot must hold each chart's series colours inside the chart's rectangle.
 *
 * <p>The gateway and task-service also get an API key and an internal token: a gateway that checks keys needs them,
 * one that does not ignores them, so the test holds either way. Chromium is Debian's {@code chromium} package; on a
 * machine without it the test is skipped, except under CI, where it fails.
 */
class DashboardEndToEndTest {
    static final String KEY = "dashboard-e2e-key-" + UUID.randomUUID();
    static final List<String> CHARTS = List.of(
            "chart-reward",
            "chart-quality",
            "chart-buffer",
            "chart-depth",
            "chart-version",
            "chart-tokens",
            "chart-evaluations");
    static final String CONFIG = """
            {"domain":"countdown","preset":"exit","rolloutsPerPrompt":4,"bufferCapacity":32,"bufferMinSize":2,
             "selectProbability":0.6,"promptsPerBatch":4,"seed":%d}""";

    /** Response tokens submitted per experiment, to compare with what the page shows. */
    static final Map<UUID, Long> TOKENS = new HashMap<>();

    static ServiceProcess taskService;
    static ServiceProcess gateway;
    static TaskSpaceClient client;
    static Path chromium;

    @BeforeAll
    static void startServices() throws Exception {
        chromium = findChromium();
        Assumptions.assumeTrue(
                chromium != null || System.getenv("CI") != null,
                "headless Chromium not installed (apt-get install chromium): dashboard test skipped");
        assertThat(chromium)
                .as("chromium on PATH (the README's test command installs it)")
                .isNotNull();

        Path root = Path.of("").toAbsolutePath().getParent();
        Path work = Files.createTempDirectory("exit-dashboard-e2e");
        Path logs = Path.of("target", "dashboard-logs");
        taskService = new Services(root, logs, work).taskService(List.of("-Xmx384m", "-XX:TieredStopAtLevel=1"));
        gateway = ServiceProcess.start(
                root,
                "gateway",
                logs,
                ServiceProcess.freePort(),
                List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"),
                List.of(
                        "--exit.gateway.services.task-service=" + taskService.url(),
                        "--exit.gateway.services.rollout-service=http://127.0.0.1:" + ServiceProcess.freePort(),
                        "--exit.gateway.services.trainer-service=http://127.0.0.1:" + ServiceProcess.freePort()),
                // Secrets through the environment, never the command line (ps shows it to every user).
                Map.of(
                        "EXIT_INTERNAL_TOKEN",
                        TestTokens.INTERNAL_TOKEN,
                        "EXIT_GATEWAY_API_KEYS",
                        "dashboard:write:" + KEY));
        taskService.awaitReady(Duration.ofMinutes(3));
        gateway.awaitReady(Duration.ofMinutes(2));
        client = TaskSpaceClient.over(RestClient.builder()
                .baseUrl(gateway.url().toString())
                .defaultHeader("Authorization", "Bearer " + KEY)
                .build());
    }

    @AfterAll
    static void stopServices() throws Exception {
        for (var service : new ServiceProcess[] {gateway, taskService}) {
            if (service != null) {
                service.close();
            }
        }
    }

    @Test
    void thePageShowsLiveDataEvaluationsAndALineage() throws Exception {
        UUID first = experimentWithData("dashboard-exit-a", 21, 3, new double[] {0.2, 0.4, 0.6, 0.8});
        UUID second = experimentWithData("dashboard-exit-b", 22, 2, new double[] {0.1, 0.3, 0.35, 0.4});

        // Browsers never send the fragment: the key stays out of every access log.
        String url = gateway.url() + "/dashboard/#key=" + KEY + "&experiment=" + first;
        Path out = Path.of("target", "dashboard");
        Files.createDirectories(out);
        String dom = runChromium(url, out, "--dump-dom");
        Files.writeString(out.resolve("dom.html"), dom);

        assertThat(attribute(dom, "<body", "data-loaded"))
                .as("the page finished loading its data")
                .isEqualTo("true");
        assertThat(dom).contains("dashboard-exit-a", "dashboard-exit-b", first.toString(), second.toString());
        assertThat(dom).doesNotContain("needs an API key").doesNotContain("was refused");
        // The summary line comes from the progress endpoint: the tokens it shows are the ones submitted.
        assertThat(dom).contains("<dt>Tokens generated</dt><dd>" + TOKENS.get(first) + "</dd>");
        // The evaluations table lists both labels; the lineage shows an instance with its ancestors.
        assertThat(dom).contains("K-eval dashboard-exit-a", "K-eval dashboard-exit-b");
        assertThat(Integer.parseInt(attribute(dom, "id=\"lineage\"", "data-nodes")))
                .isGreaterThanOrEqualTo(2);
        Map<String, int[]> rects = new HashMap<>();
        Map<String, String[]> colors = new HashMap<>();
        for (String chart : CHARTS) {
            String figure = "id=\"" + chart + "\"";
            assertThat(Integer.parseInt(attribute(dom, figure, "data-points")))
                    .as(chart + " points")
                    .isPositive();
            String[] rect = attribute(dom, figure, "data-rect").split(",");
            rects.put(chart, new int[] {
                Integer.parseInt(rect[0]),
                Integer.parseInt(rect[1]),
                Integer.parseInt(rect[2]),
                Integer.parseInt(rect[3])
            });
            colors.put(chart, attribute(dom, figure, "data-colors").split(","));
        }
        // The overlay has one line per evaluation, the reward chart one per step kind that had groups.
        assertThat(colors.get("chart-evaluations")).hasSize(2);

        runChromium(url, out, "--screenshot=" + out.toAbsolutePath().resolve("dashboard.png"));
        BufferedImage screenshot = ImageIO.read(out.resolve("dashboard.png").toFile());
        for (String chart : CHARTS) {
            int[] r = rects.get(chart);
            assertThat(r[2]).as(chart + " width").isGreaterThan(100);
            assertThat(r[3]).as(chart + " height").isGreaterThan(100);
            assertThat(r[1] + r[3]).as(chart + " fits the screenshot").isLessThanOrEqualTo(screenshot.getHeight());
            for (String color : colors.get(chart)) {
                assertThat(pixelsNear(screenshot, r, color))
                        .as("pixels of %s's series colour %s in %s", chart, color, List.of(r[0], r[1], r[2], r[3]))
                        .isGreaterThan(15); // a lone point (radius 3) covers about 30 pixels
            }
        }
    }

    /**
     * An experiment with groups under {@code versions} policy versions (one lease of four slots each, the trainer's
     * announcement in between) and a completed K = 3 evaluation whose mean quality at step k is {@code byStep[k]}.
     */
    private static UUID experimentWithData(String name, long seed, int versions, double[] byStep) {
        UUID id = client.createExperiment(
                        new CreateExperiment(name, JsonMapper.builder().build().readTree(CONFIG.formatted(seed))))
                .getBody()
                .id();
        client.generateTasks(id, new GenerateTasks(seed, 1, 16, 4));
        client.changeStatus(id, new StatusChange(ExperimentStatus.RUNNING));
        var random = new Random(seed);
        for (int version = 0; version < versions; version++) {
            if (version > 0) {
                client.announceVersion(
                        id, new PolicyVersionRequest(version, "http://127.0.0.1/ckpt/" + version, "ab".repeat(32)));
            }
            var lease = client.lease(id, new LeaseRequest("dashboard-e2e", 4, null));
            for (LeaseSlot slot : lease.slots()) {
                var rollouts = new ArrayList<RolloutRecord>();
                for (int i = 0; i < slot.groupSize(); i++) {
                    double quality = random.nextInt(3) / 2.0;
                    int tokens = 5 + random.nextInt(20);
                    rollouts.add(rollout(slot, quality, tokens));
                    TOKENS.merge(id, (long) tokens, Long::sum);
                }
                client.submitGroup(
                        id,
                        new SubmitGroup(
                                SubmitGroup.keyOf(lease.leaseId(), slot.slot()),
                                lease.leaseId(),
                                slot.slot(),
                                version,
                                slot.prompt(),
                                new long[] {1, 2, 3},
                                rollouts));
            }
        }
        var testTasks = client.listTasks(id, Split.TEST, 0, 100);
        var evaluation = client.createEvaluation(
                        id, new CreateEvaluation((long) versions - 1, Split.TEST, 3, 1, "K-eval " + name))
                .getBody();
        var rows = new ArrayList<ResultRow>();
        for (var task : testTasks) {
            for (int step = 0; step < byStep.length; step++) {
                rows.add(new ResultRow(
                        task.id(),
                        0,
                        step,
                        step == 0 ? StepKind.SOLVE : StepKind.IMPROVE,
                        byStep[step],
                        byStep[step] >= 0.5));
            }
        }
        client.postResults(evaluation.id(), new PostResults(rows));
        client.completeEvaluation(evaluation.id());
        return id;
    }

    /** One rollout with the reward exit-core derives for the slot and {@code tokens} response tokens. */
    private static RolloutRecord rollout(LeaseSlot slot, double quality, int tokens) {
        double parent = slot.parentQuality() == null ? 0 : slot.parentQuality();
        double reward = Rewards.reward(slot.rewardMode(), slot.stepKind(), parent, quality);
        long[] ids = new long[tokens];
        float[] logProbs = new float[tokens];
        for (int i = 0; i < tokens; i++) {
            ids[i] = 10 + i;
            logProbs[i] = -0.5f;
        }
        return new RolloutRecord("Answer: " + quality, quality, reward, null, null, ids, logProbs, null);
    }

    // --- the browser

    private static String runChromium(String url, Path out, String action) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("exit-chromium");
        Path stdout = out.resolve("chromium-" + (action.startsWith("--dump") ? "dom" : "shot") + ".out");
        Path stderr = out.resolve("chromium-" + (action.startsWith("--dump") ? "dom" : "shot") + ".err");
        var command = List.of(
                chromium.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--hide-scrollbars",
                "--force-device-scale-factor=1",
                "--user-data-dir=" + profile.toAbsolutePath(),
                "--virtual-time-budget=15000",
                "--window-size=1400,1600",
                action,
                url);
        Process process = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish in 90 s: " + Files.readString(stderr));
        }
        assertThat(process.exitValue())
                .as("chromium exit; stderr: " + Files.readString(stderr))
                .isZero();
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    private static Path findChromium() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    /** The value of {@code name} on the first tag after {@code anchor} (an attribute or tag start in the DOM). */
    private static String attribute(String dom, String anchor, String name) {
        int at = dom.indexOf(anchor);
        assertThat(at).as("DOM has " + anchor).isNotNegative();
        int tagStart = dom.lastIndexOf('<', at);
        int tagEnd = dom.indexOf('>', at);
        String tag = dom.substring(tagStart, tagEnd);
        Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(tag);
        assertThat(m.find()).as(name + " on " + tag).isTrue();
        return m.group(1);
    }

    /** Pixels inside {@code rect} within a small distance of {@code hex} (anti-aliasing blends edges). */
    private static int pixelsNear(BufferedImage image, int[] rect, String hex) {
        int target = Integer.parseInt(hex.substring(1), 16);
        int tr = (target >> 16) & 0xff;
        int tg = (target >> 8) & 0xff;
        int tb = target & 0xff;
        int count = 0;
        for (int y = rect[1]; y < Math.min(image.getHeight(), rect[1] + rect[3]); y++) {
            for (int x = rect[0]; x < Math.min(image.getWidth(), rect[0] + rect[2]); x++) {
                int rgb = image.getRGB(x, y);
                int d = Math.abs(((rgb >> 16) & 0xff) - tr)
                        + Math.abs(((rgb >> 8) & 0xff) - tg)
                        + Math.abs((rgb & 0xff) - tb);
                if (d <= 30) {
                    count++;
                }
            }
        }
        return count;
    }
}
