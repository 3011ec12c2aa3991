package dev.exitrl.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.testsupport.TestTokens;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Grafana dashboard and the alert rules name only metrics a live service exports. The task-service (the one
 * with the task-space metrics) is started the way its image starts it: the Boot jar split into its layers with
 * {@code -Djarmode=tools extract --layers --launcher}, the layers copied into one directory in the Dockerfile's
 * order, and {@code JarLauncher} run there; its embedded PostgreSQL (profile local) stands in for the database.
 */
class LiveMetricsTest {
    /** Series Prometheus makes itself (not exported by any service). */
    static final Set<String> PROMETHEUS_SERIES = Set.of("up");

    /**
     * The loop's metrics come from the rollout- and trainer-service, which need a running experiment to export
     * them: e2e-tests' {@code ExItLoopEndToEndTest} checks every such name of the dashboard and the alerts against
     * the live services of its run. Here only the task-service's names are checked.
     */
    static boolean loopMetric(String name) {
        return name.startsWith("exit_rollout_") || name.startsWith("exit_trainer_");
    }

    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path work;

    static Process service;
    static int port;
    static Set<String> exported;

    @BeforeAll
    static void startTaskServiceFromItsImageLayers() throws Exception {
        Path jar = Path.of(System.getProperty(
                "exit.task-service.jar",
                Repository.path("task-service/target/task-service-0.1.0-SNAPSHOT.jar")
                        .toString()));
        assertThat(jar)
                .as("build task-service first (./mvnw -pl deploy-tests -am verify)")
                .exists();
        String java = ProcessHandle.current().info().command().orElse("java");
        Path layers = work.resolve("layers");
        run(
                work,
                List.of(
                        java,
                        "-Djarmode=tools",
                        "-jar",
                        jar.toString(),
                        "extract",
                        "--layers",
                        "--launcher",
                        "--destination",
                        layers.toString()));
        Path app = work.resolve("app");
        for (String layer : List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application")) {
            assertThat(layers.resolve(layer))
                    .as("Boot layer %s (a COPY in the Dockerfile)", layer)
                    .isDirectory();
            linkInto(layers.resolve(layer), app);
        }
        port = freePort();
        var builder = new ProcessBuilder(
                        java,
                        "-Xmx512m",
                        // A short-lived JVM on a small shared machine: start fast rather than run fast.
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC",
                        "org.springframework.boot.loader.launch.JarLauncher",
                        "--spring.profiles.active=local",
                        "--server.port=" + port,
                        "--exit.database.embedded.port=" + freePort(),
                        "--exit.database.embedded.data-dir=" + work.resolve("postgres"),
                        "--exit.metrics.refresh-interval=PT1S")
                .directory(app.toFile())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("task-service.log").toFile());
        builder.environment().put("EXIT_INTERNAL_TOKEN", TestTokens.INTERNAL_TOKEN);
        service = builder.start();
        awaitReady();
        exercise();
        // The per-experiment gauges are registered by the periodic refresh, possibly a scrape after the buffer gauge:
        // wait for every name the tests need, not just the first.
        exported = scrapeUntilSeen(List.of("exit_buffer_size", "exit_leases_outstanding", "exit_training_queue_depth"));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (service != null) {
            service.destroy();
            if (!service.waitFor(30, TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
        }
    }

    @Test
    void theServiceExportsTheTaskSpaceMetrics() {
        assertThat(exported)
                .contains(
                        "exit_buffer_size",
                        "exit_leases_outstanding",
                        "exit_training_queue_depth",
                        "exit_submits_total",
                        "http_server_requests_seconds_count");
    }

    @Test
    void everyDashboardQueryNamesAnExportedMetric() {
        JsonNode dashboard = JSON.readTree(Repository.read("deploy/grafana/dashboards/exit.json"));
        var queries = new ArrayList<String>();
        for (JsonNode panel : dashboard.get("panels")) {
            if ("row".equals(panel.get("type").asString())) {
                continue;
            }
            assertThat(panel.get("targets")).as("panel %s", panel.get("title")).isNotEmpty();
            assertThat(panel.at("/datasource/uid").asString())
                    .as("panel %s uses the provisioned data source", panel.get("title"))
                    .isEqualTo(provisionedDataSourceUid());
            panel.get("targets").forEach(t -> queries.add(t.get("expr").asString()));
        }
        // A variable's label_values(metric, label): the metric is its first argument.
        var labelValues = Pattern.compile("label_values\\(\\s*([^,)]+)");
        dashboard.at("/templating/list").forEach(v -> {
            Matcher m = labelValues.matcher(v.at("/query/query").asString());
            assertThat(m.find()).as("variable %s", v.get("name")).isTrue();
            queries.add(m.group(1));
        });
        assertThat(queries).hasSizeGreaterThan(10);
        assertNamesExported(queries, Set.of());
    }

    @Test
    void everyAlertRuleNamesAnExportedMetric() {
        Map<String, Object> rules = Repository.yaml(Repository.read("deploy/prometheus/alerts.yml"));
        var expressions = new ArrayList<String>();
        var alerts = new TreeSet<String>();
        for (Map<String, Object> group : Repository.<List<Map<String, Object>>>at(rules, "groups")) {
            for (Map<String, Object> rule : Repository.<List<Map<String, Object>>>at(group, "rules")) {
                alerts.add((String) rule.get("alert"));
                expressions.add((String) rule.get("expr"));
                assertThat(Repository.<String>at(rule, "labels", "severity")).isIn("warning", "critical");
            }
        }
        // The four the issue asks for, and the generic ones.
        assertThat(alerts)
                .contains(
                        "ExitTrainerStuck",
                        "ExitTrainingQueueGrowing",
                        "ExitNoLeasesServed",
                        "ExitHighErrorRate",
                        "ExitServiceDown");
        assertNamesExported(expressions, PROMETHEUS_SERIES);
    }

    @Test
    void theChartShipsTheSameAlertRulesAsCompose() {
        assertThat(Repository.read("helm/exit/files/alerts.yml"))
                .as("helm/exit/files/alerts.yml must be a copy of deploy/prometheus/alerts.yml")
                .isEqualTo(Repository.read("deploy/prometheus/alerts.yml"));
    }

    private static void assertNamesExported(List<String> expressions, Set<String> allowed) {
        var unknown = new LinkedHashSet<String>();
        for (String expression : expressions) {
            Set<String> names = PromQl.metricNames(expression);
            assertThat(names).as("metrics in %s", expression).isNotEmpty();
            names.stream()
                    .filter(n -> !exported.contains(n) && !allowed.contains(n) && !loopMetric(n))
                    .forEach(n -> unknown.add(n + " (in " + expression + ")"));
        }
        assertThat(unknown).as("metrics no live service exports").isEmpty();
    }

    private static String provisionedDataSourceUid() {
        Map<String, Object> provisioning =
                Repository.yaml(Repository.read("deploy/grafana/provisioning/datasources/prometheus.yml"));
        return (String) Repository.<List<Map<String, Object>>>at(provisioning, "datasources")
                .get(0)
                .get("uid");
    }

    /** Sample names of a Prometheus text exposition. */
    static Set<String> exportedNames(String exposition) {
        var names = new TreeSet<String>();
        Matcher m = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]").matcher(exposition);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** One experiment through the task space, so that every series (leases, submits, gauges) has a value. */
    private static void exercise() throws Exception {
        JsonNode created = post("/api/experiments", """
                {"name":"metrics","config":{"domain":"countdown","preset":"exit","rolloutsPerPrompt":2}}""");
        String id = created.get("id").asString();
        post("/api/experiments/" + id + "/base-tasks/generate", """
                {"seed":1,"difficulty":1,"trainCount":5,"testCount":0}""");
        post("/api/experiments/" + id + "/status", "{\"status\":\"RUNNING\"}");
        JsonNode lease = post("/api/experiments/" + id + "/leases", "{\"workerId\":\"w\",\"size\":1}");
        post("/api/experiments/" + id + "/groups", """
                {"idempotencyKey":"k","leaseId":"%s","slot":0,"policyVersion":0,"rollouts":[
                 {"response":"a","quality":0,"reward":0},{"response":"b","quality":1,"reward":1}]}""".formatted(
                        lease.get("leaseId").asString()));
    }

    /**
     * The union of several scrapes' sample names, until {@code required} is among them: a refresh of the
     * experiment-tagged gauges replaces their rows, so a single scrape can fall between removal and re-registration.
     */
    private static Set<String> scrapeUntilSeen(List<String> required) throws Exception {
        var names = new TreeSet<String>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        do {
            names.addAll(exportedNames(get("/actuator/prometheus")));
            if (names.containsAll(required)) {
                return names;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("not all of " + required + " appeared in /actuator/prometheus; seen: " + names);
    }

    private static JsonNode post(String path, String json) throws Exception {
        var response = HTTP.send(
                TestTokens.request(URI.create("http://localhost:" + port + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("POST %s: %s", path, response.body())
                .isBetween(200, 299);
        return JSON.readTree(response.body());
    }

    private static String get(String path) throws Exception {
        var response = HTTP.send(
                TestTokens.request(URI.create("http://localhost:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
        return response.body();
    }

    private static void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            assertThat(service.isAlive())
                    .as("task-service exited; its log:\n%s", Files.readString(work.resolve("task-service.log")))
                    .isTrue();
            try {
                if (get("/actuator/health/readiness").contains("\"UP\"")) {
                    return;
                }
            } catch (IOException | AssertionError notYet) {
                // still starting
            }
            Thread.sleep(500);
        }
        throw new AssertionError("task-service not ready; log:\n" + Files.readString(work.resolve("task-service.log")));
    }

    private static void run(Path dir, List<String> command) throws Exception {
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("%s\n%s", command, out).isZero();
    }

    /** The Dockerfile's COPY of a layer, as hard links (the same files, without copying 150 MB). */
    private static void linkInto(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.createLink(target, source);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
