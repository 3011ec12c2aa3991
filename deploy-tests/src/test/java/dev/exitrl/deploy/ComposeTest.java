package dev.exitrl.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml, Prometheus' scrape configuration and Grafana's provisioning, checked by parsing (no Docker
 * engine here). The settings each service must get are derived from its sources ({@link ServiceConfig}).
 */
class ComposeTest {
    /** Compose service -> the module it runs (the GPU variants run the same modules on the GPU image). */
    static final Map<String, String> EXIT_SERVICES = Map.of(
            "task-service", "task-service",
            "rollout-service", "rollout-service",
            "trainer-service", "trainer-service",
            "rollout-service-gpu", "rollout-service",
            "trainer-service-gpu", "trainer-service",
            "gateway", "gateway");

    static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::?[-?][^}]*)?}");

    static Map<String, Object> compose;
    static Map<String, Map<String, Object>> services;
    static Map<String, ServiceConfig> modules = new LinkedHashMap<>();

    @BeforeAll
    static void read() {
        compose = Repository.yaml(Repository.read("docker-compose.yml"));
        services = Repository.at(compose, "services");
        for (String module : ServiceConfig.MODULES) {
            modules.put(module, ServiceConfig.of(Repository.root(), module));
        }
    }

    @Test
    void everyServiceHasAnImageAHealthCheckAndAMemoryLimit() {
        assertThat(services.keySet()).containsAll(EXIT_SERVICES.keySet()).contains("postgres", "prometheus", "grafana");
        services.forEach((name, service) -> {
            assertThat(service.get("image")).as("%s image", name).isNotNull();
            assertThat(Repository.<List<String>>at(service, "healthcheck", "test"))
                    .as("%s health check", name)
                    .isNotEmpty();
            assertThat(Repository.<String>at(service, "deploy", "resources", "limits", "memory"))
                    .as("%s memory limit", name)
                    .matches("\\d+[mg]");
        });
        EXIT_SERVICES.forEach((name, module) -> {
            var service = services.get(name);
            String dockerfile = Repository.at(service, "build", "dockerfile");
            assertThat(Repository.path(dockerfile)).exists();
            assertThat(Repository.<String>at(service, "build", "args", "MODULE"))
                    .isEqualTo(module);
            // The health check the compose file runs is the one the image installs.
            assertThat(Repository.<List<String>>at(service, "healthcheck", "test"))
                    .containsExactly("CMD", "/usr/local/bin/healthcheck");
            assertThat(Repository.read(dockerfile)).contains("docker/healthcheck /usr/local/bin/healthcheck");
            boolean gpu = name.endsWith("-gpu");
            assertThat(dockerfile).isEqualTo(gpu ? "docker/gpu.Dockerfile" : "docker/service.Dockerfile");
        });
    }

    @Test
    void dependenciesWaitForHealthyServices() {
        services.forEach((name, service) -> {
            Map<String, Map<String, Object>> dependsOn = Repository.at(service, "depends_on");
            if (dependsOn == null) {
                return;
            }
            dependsOn.forEach((target, options) -> {
                assertThat(services).as("%s depends on %s", name, target).containsKey(target);
                assertThat(options.get("condition"))
                        .as("%s -> %s", name, target)
                        .isEqualTo("service_healthy");
                assertThat(Repository.<Object>at(services.get(target), "healthcheck"))
                        .isNotNull();
            });
        });
        assertThat(Repository.<Object>at(services.get("task-service"), "depends_on", "postgres", "condition"))
                .isEqualTo("service_healthy");
        for (String worker :
                List.of("rollout-service", "trainer-service", "rollout-service-gpu", "trainer-service-gpu")) {
            assertThat(Repository.<Object>at(services.get(worker), "depends_on", "task-service", "condition"))
                    .isEqualTo("service_healthy");
        }
        Map<String, Object> gatewayDeps = Repository.at(services.get("gateway"), "depends_on");
        assertThat(gatewayDeps).containsKeys("task-service", "rollout-service", "trainer-service");
    }

    @Test
    void environmentMatchesTheSettingsTheServicesRead() {
        EXIT_SERVICES.forEach((name, module) -> {
            var config = modules.get(module);
            Map<String, Object> environment = Repository.at(services.get(name), "environment");
            assertThat(environment).as("%s environment", name).isNotNull();
            for (String variable : environment.keySet()) {
                assertThat(config.readsEnv(variable) || ServiceConfig.RESERVED_ENV.containsKey(variable))
                        .as("%s sets %s, which %s does not read", name, variable, module)
                        .isTrue();
            }
            // A default of localhost is the container itself: every such setting must be set, to a compose service.
            for (var key : config.keys()) {
                if (!key.defaultsToLocalhost()) {
                    continue;
                }
                var set = environment.entrySet().stream()
                        .filter(e -> key.envNames().contains(e.getKey()))
                        .toList();
                assertThat(set)
                        .as("%s must set %s (one of %s)", name, key.name(), key.envNames())
                        .hasSize(1);
                String value = String.valueOf(set.get(0).getValue());
                assertThat(value).doesNotContain("localhost");
                URI uri = URI.create(value.startsWith("jdbc:") ? value.substring(5) : value);
                assertThat(reachableNames()).as("%s: host of %s", name, value).contains(uri.getHost());
                int port = uri.getHost().equals("postgres")
                        ? 5432
                        : modules.get(moduleOf(uri.getHost())).port();
                assertThat(uri.getPort()).as("%s: port of %s", name, value).isEqualTo(port);
            }
        });
        // The trainer's checkpoints live on a volume.
        for (String trainer : List.of("trainer-service", "trainer-service-gpu")) {
            String dir =
                    String.valueOf(Repository.<Object>at(services.get(trainer), "environment", "EXIT_CHECKPOINT_DIR"));
            assertThat(Repository.<List<String>>at(services.get(trainer), "volumes"))
                    .contains("checkpoints:" + dir);
        }
    }

    @Test
    void secretsComeFromTheUncommittedEnvFile() {
        var secretName = Pattern.compile("(?i).*(password|token|api_?keys?|secret).*");
        services.forEach((name, service) -> {
            Map<String, Object> environment = Repository.at(service, "environment");
            if (environment == null) {
                return;
            }
            environment.forEach((variable, value) -> {
                if (secretName.matcher(variable).matches()) {
                    assertThat(String.valueOf(value))
                            .as("%s: %s must come from .env", name, variable)
                            .matches("\\$\\{[A-Z0-9_]+(:?[-?].*)?}");
                }
            });
        });
        // Every variable the compose file interpolates is documented in .env.example, and .env is ignored by git.
        String example = Repository.read(".env.example");
        var used = new LinkedHashSet<String>();
        Matcher m = INTERPOLATION.matcher(Repository.read("docker-compose.yml"));
        while (m.find()) {
            used.add(m.group(1));
        }
        assertThat(used).contains("EXIT_DB_PASSWORD", "EXIT_GATEWAY_API_KEYS", "EXIT_INTERNAL_TOKEN");
        assertThat(used).allMatch(v -> example.contains("\n" + v + "="), "documented in .env.example");
        assertThat(Repository.read(".gitignore").lines()).contains("/.env");
    }

    @Test
    void theGpuProfileReservesDevicesForRolloutAndTrainer() {
        for (String name : List.of("rollout-service-gpu", "trainer-service-gpu")) {
            var service = services.get(name);
            assertThat(Repository.<List<String>>at(service, "profiles")).containsExactly("gpu");
            List<Map<String, Object>> devices =
                    Repository.at(service, "deploy", "resources", "reservations", "devices");
            assertThat(devices).singleElement().satisfies(d -> {
                assertThat(d.get("driver")).isEqualTo("nvidia");
                assertThat(d.get("capabilities")).isEqualTo(List.of("gpu"));
            });
            // Reachable under the CPU variant's name, so the other services need no change.
            assertThat(Repository.<List<String>>at(service, "networks", "default", "aliases"))
                    .containsExactly(name.replace("-gpu", ""));
        }
        for (String name : List.of("rollout-service", "trainer-service")) {
            assertThat(Repository.<List<String>>at(services.get(name), "profiles"))
                    .containsExactly("cpu");
            assertThat(Repository.<Object>at(services.get(name), "deploy", "resources", "reservations"))
                    .isNull();
        }
        assertThat(services.entrySet())
                .filteredOn(e -> Repository.at(e.getValue(), "deploy", "resources", "reservations", "devices") != null)
                .extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("rollout-service-gpu", "trainer-service-gpu");
    }

    @Test
    void prometheusScrapesEveryServiceAndGrafanaIsProvisioned() {
        Map<String, Object> prometheus = Repository.yaml(Repository.read("deploy/prometheus/prometheus.yml"));
        Map<String, Integer> scraped = new LinkedHashMap<>();
        for (Map<String, Object> job : Repository.<List<Map<String, Object>>>at(prometheus, "scrape_configs")) {
            assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
            Map<String, Object> sd = Repository.<List<Map<String, Object>>>at(job, "dns_sd_configs")
                    .get(0);
            scraped.put(((List<?>) sd.get("names")).get(0).toString(), (Integer) sd.get("port"));
        }
        for (String module : ServiceConfig.MODULES) {
            assertThat(scraped).containsEntry(module, modules.get(module).port());
        }
        // Mounted files exist, and Prometheus loads the rules file from where compose mounts it.
        var mounts = new LinkedHashMap<String, String>();
        for (String service : List.of("prometheus", "grafana")) {
            for (String volume : Repository.<List<String>>at(services.get(service), "volumes")) {
                String[] parts = volume.split(":");
                if (parts[0].startsWith("./")) {
                    assertThat(Repository.path(parts[0].substring(2))).exists();
                    mounts.put(parts[0].substring(2), parts[1]);
                }
            }
        }
        assertThat(Repository.<List<String>>at(prometheus, "rule_files"))
                .containsExactly(mounts.get("deploy/prometheus/alerts.yml"));
        Map<String, Object> dashboards =
                Repository.yaml(Repository.read("deploy/grafana/provisioning/dashboards/exit.yml"));
        assertThat(Repository.<String>at(
                        Repository.<List<Map<String, Object>>>at(dashboards, "providers")
                                .get(0),
                        "options",
                        "path"))
                .isEqualTo(mounts.get("deploy/grafana/dashboards"));
        Map<String, Object> datasources =
                Repository.yaml(Repository.read("deploy/grafana/provisioning/datasources/prometheus.yml"));
        assertThat(Repository.<String>at(
                        Repository.<List<Map<String, Object>>>at(datasources, "datasources")
                                .get(0),
                        "url"))
                .isEqualTo("http://prometheus:9090");
    }

    /** Host names containers reach each other by: service names and network aliases. */
    private static Set<String> reachableNames() {
        var names = new LinkedHashSet<>(services.keySet());
        services.values().forEach(s -> {
            List<String> aliases = Repository.at(s, "networks", "default", "aliases");
            if (aliases != null) {
                names.addAll(aliases);
            }
        });
        return names;
    }

    private static String moduleOf(String host) {
        return EXIT_SERVICES.getOrDefault(host, host);
    }
}
