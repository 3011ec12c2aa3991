package dev.exitrl.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The Helm chart, checked with Helm's own lint and template (helm-java: Helm's Go library in the test JVM) for the
 * default values and every {@code helm/exit/ci/*.yaml} scenario, the rendered manifests parsed with fabric8's
 * Kubernetes model. The settings the services read are derived from their sources ({@link ServiceConfig}).
 */
class HelmChartTest {
    static final Path CHART = Repository.path("helm/exit");
    static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|token|api_?keys?|secret).*");
    static final Map<String, String> VALUES_SECTION = Map.of(
            "gateway",
            "gateway",
            "task-service",
            "taskService",
            "rollout-service",
            "rollout",
            "trainer-service",
            "trainer");
    static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();

    static Map<String, ServiceConfig> services = new LinkedHashMap<>();

    @TempDir
    static Path work;

    /** A scenario: its name, its values file (null for the defaults) and the merged values it renders with. */
    record Scenario(String name, Path valuesFile, Map<String, Object> values) {
        @Override
        public String toString() {
            return name;
        }

        <T> T value(String dotted) {
            return Repository.at(values, dotted.split("\\."));
        }
    }

    /** What a scenario renders to. */
    record Rendered(Scenario scenario, List<HasMetadata> resources) {
        <T extends HasMetadata> List<T> all(Class<T> kind) {
            return resources.stream().filter(kind::isInstance).map(kind::cast).toList();
        }

        <T extends HasMetadata> T one(Class<T> kind, String component) {
            var found = all(kind).stream()
                    .filter(r -> component.equals(r.getMetadata().getLabels().get("app.kubernetes.io/component")))
                    .toList();
            assertThat(found)
                    .as("%s %s in %s", kind.getSimpleName(), component, scenario)
                    .hasSize(1);
            return found.get(0);
        }

        List<GenericKubernetesResource> custom(String kind) {
            return all(GenericKubernetesResource.class).stream()
                    .filter(r -> kind.equals(r.getKind()))
                    .toList();
        }

        PodTemplateSpec pod(String component) {
            return component.equals("trainer-service")
                    ? one(StatefulSet.class, component).getSpec().getTemplate()
                    : one(Deployment.class, component).getSpec().getTemplate();
        }

        Container container(String component) {
            return pod(component).getSpec().getContainers().get(0);
        }

        /** The service's application.yml from its ConfigMap, flattened to dotted keys. */
        Map<String, Object> config(String component) {
            var flat = new LinkedHashMap<String, Object>();
            Repository.flatten(
                    "",
                    Repository.yaml(one(ConfigMap.class, component).getData().get("application.yml")),
                    flat);
            return flat;
        }
    }

    @BeforeAll
    static void readServices() {
        for (String module : ServiceConfig.MODULES) {
            services.put(module, ServiceConfig.of(Repository.root(), module));
        }
    }

    static Stream<Scenario> scenarios() throws IOException {
        Map<String, Object> defaults = Repository.yaml(Files.readString(CHART.resolve("values.yaml")));
        var out = new ArrayList<Scenario>();
        out.add(new Scenario("default", null, defaults));
        try (Stream<Path> files = Files.list(CHART.resolve("ci"))) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                Map<String, Object> overrides = Repository.yaml(Files.readString(file));
                out.add(new Scenario(
                        file.getFileName().toString().replace("-values.yaml", ""),
                        file,
                        merge(Repository.yaml(Files.readString(CHART.resolve("values.yaml"))), overrides)));
            }
        }
        assertThat(out).extracting(Scenario::name).contains("cpu-only", "gpu", "external-db", "scaled");
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void helmLintPassesStrictly(Scenario scenario) throws IOException {
        // helm-java's lint takes no values file: lint a copy of the chart whose values.yaml is the scenario's.
        Path copy = work.resolve("lint-" + scenario.name());
        copyTree(CHART, copy);
        var options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Files.writeString(copy.resolve("values.yaml"), new Yaml(options).dump(scenario.values()));
        var result = new Helm(copy).lint().strict().call();
        assertThat(result.isFailed())
                .as("helm lint --strict: %s", result.getMessages())
                .isFalse();
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void rendersTheServicesWithImagesProbesAndResources(Scenario scenario) {
        var rendered = render(scenario);
        String registry = scenario.value("global.imageRegistry");
        String tag = scenario.<String>value("image.tag").isEmpty() ? "0.1.0" : scenario.value("image.tag");
        for (String component : ServiceConfig.MODULES) {
            int port = services.get(component).port();
            String section = VALUES_SECTION.get(component);
            boolean gpu = Boolean.TRUE.equals(scenario.value(section + ".gpu.enabled"));
            Container container = rendered.container(component);
            String repository = scenario.value(section + ".image.repository");
            assertThat(repository).isEqualTo("exit/" + component);
            assertThat(container.getImage())
                    .isEqualTo(
                            (registry.isEmpty() ? "" : registry + "/") + repository + ":" + tag + (gpu ? "-gpu" : ""));
            // Probes at the actuator's real paths, on the port the service listens on.
            assertThat(container.getPorts()).singleElement().satisfies(p -> {
                assertThat(p.getName()).isEqualTo("http");
                assertThat(p.getContainerPort()).isEqualTo(port);
            });
            assertThat(rendered.config(component)).containsEntry("server.port", port);
            assertProbe(container.getLivenessProbe(), "/actuator/health/liveness");
            assertProbe(container.getReadinessProbe(), "/actuator/health/readiness");
            assertProbe(container.getStartupProbe(), "/actuator/health/liveness");
            // GPUs requested exactly when enabled, and only by rollout and trainer.
            Map<String, Quantity> limits = container.getResources().getLimits();
            Map<String, Quantity> requests = container.getResources().getRequests();
            if (gpu) {
                String count = String.valueOf(scenario.<Integer>value(section + ".gpu.count"));
                assertThat(limits).containsEntry("nvidia.com/gpu", new Quantity(count));
                assertThat(requests).containsEntry("nvidia.com/gpu", new Quantity(count));
                assertThat(rendered.config(component)).containsValue("gpu");
            } else {
                assertThat(limits).doesNotContainKey("nvidia.com/gpu");
                assertThat(requests).doesNotContainKey("nvidia.com/gpu");
            }
            assertThat(limits).containsKey("memory");
            assertThat(rendered.pod(component).getSpec().getSecurityContext().getRunAsNonRoot())
                    .isTrue();
            assertThat(rendered.all(Service.class))
                    .as("a Service for %s", component)
                    .anyMatch(s -> component.equals(s.getMetadata().getLabels().get("app.kubernetes.io/component"))
                            && s.getSpec().getPorts().get(0).getPort() > 0);
        }
        assertThat(rendered.one(Deployment.class, "task-service").getSpec().getReplicas())
                .isEqualTo(scenario.<Integer>value("taskService.replicaCount"));
        assertThat(rendered.one(Deployment.class, "rollout-service").getSpec().getReplicas())
                .isEqualTo(scenario.<Integer>value("rollout.replicaCount"));
        var rollout = rendered.pod("rollout-service").getSpec();
        assertThat(rollout.getNodeSelector()).isEqualTo(emptyIfNull(scenario.value("rollout.nodeSelector")));
        assertThat(rollout.getTolerations()).hasSize(sizeOf(scenario.value("rollout.tolerations")));
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void theTrainerIsOneStatefulPodWithACheckpointVolume(Scenario scenario) {
        var rendered = render(scenario);
        StatefulSet trainer = rendered.one(StatefulSet.class, "trainer-service");
        assertThat(trainer.getSpec().getReplicas()).isEqualTo(1);
        var claim = trainer.getSpec().getVolumeClaimTemplates().get(0);
        assertThat(claim.getSpec().getResources().getRequests().get("storage"))
                .isEqualTo(new Quantity(scenario.value("trainer.persistence.size")));
        String checkpointDir = (String) rendered.config("trainer-service").get("exit.trainer.checkpoint-dir");
        assertThat(rendered.container("trainer-service").getVolumeMounts())
                .anyMatch(m -> m.getName().equals(claim.getMetadata().getName())
                        && m.getMountPath().equals(checkpointDir));
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void everySettingTheServicesReadIsSetAndNothingElse(Scenario scenario) {
        var rendered = render(scenario);
        for (var service : services.values()) {
            String component = service.module();
            Map<String, Object> config = rendered.config(component);
            List<EnvVar> env = env(rendered.container(component));
            for (var key : service.exitKeys()) {
                boolean inConfig = config.keySet().stream()
                        .anyMatch(k -> ServiceConfig.canonical(k).equals(ServiceConfig.canonical(key.name())));
                boolean inEnv = env.stream().anyMatch(e -> key.envNames().contains(e.getName()));
                assertThat(inConfig || inEnv)
                        .as("%s: %s reads %s; the chart must set it", scenario, component, key.name())
                        .isTrue();
            }
            for (var key : service.keys()) {
                if (key.defaultsToLocalhost()) {
                    Object value = config.entrySet().stream()
                            .filter(e ->
                                    ServiceConfig.canonical(e.getKey()).equals(ServiceConfig.canonical(key.name())))
                            .map(Map.Entry::getValue)
                            .findFirst()
                            .orElse(null);
                    assertThat(value)
                            .as("%s: %s %s defaults to localhost", scenario, component, key.name())
                            .isNotNull();
                    assertThat(String.valueOf(value)).doesNotContain("localhost");
                }
            }
            assertThat(config.keySet())
                    .as("%s: keys in %s's ConfigMap that it does not read", scenario, component)
                    .allMatch(service::readsProperty);
            assertThat(env)
                    .as("%s: env variables of %s that it does not read", scenario, component)
                    .allMatch(
                            e -> service.readsEnv(e.getName()) || ServiceConfig.RESERVED_ENV.containsKey(e.getName()));
        }
        // The database: the bundled StatefulSet's Service, or the external host.
        boolean bundled = scenario.value("postgresql.bundled.enabled");
        String url = (String) rendered.config("task-service").get("spring.datasource.url");
        String host = bundled ? "exit-postgresql" : scenario.value("postgresql.external.host");
        int port = bundled ? 5432 : scenario.<Integer>value("postgresql.external.port");
        assertThat(url)
                .isEqualTo("jdbc:postgresql://" + host + ":" + port + "/" + scenario.value("postgresql.database"));
        var statefulSets = rendered.all(StatefulSet.class).stream()
                .map(s -> s.getMetadata().getName())
                .toList();
        if (bundled) {
            assertThat(statefulSets).containsExactlyInAnyOrder("exit-trainer-service", "exit-postgresql");
        } else {
            assertThat(statefulSets).containsExactly("exit-trainer-service");
        }
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void secretsAreOnlyReferenced(Scenario scenario) {
        var rendered = render(scenario);
        assertThat(rendered.resources()).noneMatch(r -> r.getKind().equals("Secret"));
        var secretEnv = new ArrayList<EnvVar>();
        for (var resource : rendered.resources()) {
            PodTemplateSpec pod = resource instanceof Deployment d
                    ? d.getSpec().getTemplate()
                    : resource instanceof StatefulSet s ? s.getSpec().getTemplate() : null;
            if (pod == null) {
                continue;
            }
            for (var container : pod.getSpec().getContainers()) {
                for (var env : env(container)) {
                    if (SECRET_NAME.matcher(env.getName()).matches()) {
                        assertThat(env.getValue())
                                .as("%s inline", env.getName())
                                .isNull();
                        assertThat(env.getValueFrom().getSecretKeyRef()).isNotNull();
                        secretEnv.add(env);
                    }
                }
            }
        }
        for (var configMap : rendered.all(ConfigMap.class)) {
            assertThat(configMap.getData().values())
                    .noneMatch(v -> v.toLowerCase().contains("password"));
        }
        var dbPassword = env(rendered.container("task-service")).stream()
                .filter(e -> e.getName().equals("EXIT_DB_PASSWORD"))
                .findFirst()
                .orElseThrow();
        assertThat(dbPassword.getValueFrom().getSecretKeyRef().getName())
                .isEqualTo(scenario.value("postgresql.auth.existingSecret"));
        String authSecret = scenario.value("auth.existingSecret");
        if (!authSecret.isEmpty()) {
            assertThat(secretEnv)
                    .filteredOn(e -> e.getName().equals("EXIT_GATEWAY_API_KEYS"))
                    .singleElement()
                    .satisfies(
                            e -> assertThat(e.getValueFrom().getSecretKeyRef().getName())
                                    .isEqualTo(authSecret));
            assertThat(secretEnv)
                    .filteredOn(e -> e.getName().equals("EXIT_INTERNAL_TOKEN"))
                    .hasSize(4);
        }
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void onlyTheGatewayIsReachableFromOutside(Scenario scenario) {
        var rendered = render(scenario);
        var policies = rendered.all(NetworkPolicy.class);
        assertThat(policies).hasSize(2);
        var internal = rendered.one(NetworkPolicy.class, "internal").getSpec();
        assertThat(internal.getPodSelector().getMatchExpressions())
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.getOperator()).isEqualTo("NotIn");
                    assertThat(e.getValues()).containsExactly("gateway");
                });
        // Within the release only, plus metrics scrapes on the http port.
        assertThat(internal.getIngress()
                        .get(0)
                        .getFrom()
                        .get(0)
                        .getPodSelector()
                        .getMatchLabels())
                .containsEntry("app.kubernetes.io/instance", "exit");
        assertThat(internal.getIngress())
                .allMatch(rule -> rule.getFrom().stream().allMatch(peer -> peer.getIpBlock() == null));
        var gateway = rendered.one(NetworkPolicy.class, "gateway").getSpec();
        assertThat(gateway.getIngress())
                .singleElement()
                .satisfies(rule -> assertThat(rule.getFrom()).isNullOrEmpty());
        assertThat(rendered.all(Ingress.class))
                .hasSize(Boolean.TRUE.equals(scenario.value("gateway.ingress.enabled")) ? 1 : 0);
        rendered.all(Ingress.class)
                .forEach(i -> assertThat(i.getSpec()
                                .getRules()
                                .get(0)
                                .getHttp()
                                .getPaths()
                                .get(0)
                                .getBackend()
                                .getService()
                                .getName())
                        .isEqualTo("exit-gateway"));
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void disruptionBudgetsAndMonitoring(Scenario scenario) {
        var rendered = render(scenario);
        assertThat(rendered.all(PodDisruptionBudget.class))
                .extracting(p -> p.getMetadata().getLabels().get("app.kubernetes.io/component"))
                .containsExactlyInAnyOrder("gateway", "task-service", "rollout-service");
        boolean monitors = scenario.value("metrics.serviceMonitor.enabled");
        assertThat(rendered.custom("ServiceMonitor")).hasSize(monitors ? 1 : 0);
        rendered.custom("ServiceMonitor")
                .forEach(m -> assertThat(Repository.<List<Map<String, Object>>>at(
                                        m.getAdditionalProperties(), "spec", "endpoints")
                                .get(0))
                        .containsEntry("path", "/actuator/prometheus")
                        .containsEntry("port", "http"));
        boolean rules = scenario.value("metrics.prometheusRule.enabled");
        assertThat(rendered.custom("PrometheusRule")).hasSize(rules ? 1 : 0);
        rendered.custom("PrometheusRule")
                .forEach(r -> assertThat(Repository.<Object>at(r.getAdditionalProperties(), "spec", "groups"))
                        .isEqualTo(Repository.yaml(Repository.read("deploy/prometheus/alerts.yml"))
                                .get("groups")));
    }

    @Test
    void everyValueIsDocumentedAndTheSchemaRejectsNonsense() throws IOException {
        String text = Files.readString(CHART.resolve("values.yaml"));
        var documented = new LinkedHashSet<String>();
        Matcher m = Pattern.compile("(?m)^## @param (\\S+) \\S").matcher(text);
        while (m.find()) {
            documented.add(m.group(1));
        }
        // Bitnami style: one @param per key; maps that hold free-form content (resources, labels) are one key.
        var keys = new LinkedHashSet<String>();
        collectValueKeys("", Repository.yaml(text), keys);
        assertThat(documented).isEqualTo(keys);
        assertThat(text).contains("## @section Rollout service parameters", "## @section Database parameters");

        var bad = new Helm(CHART).template().withName("exit").set("rollout.config.device", "tpu");
        assertThatThrownBy(bad::call).hasMessageContaining("device");
        var typo = new Helm(CHART).template().withName("exit").set("taskService.replicas", "3");
        assertThatThrownBy(typo::call).hasMessageContaining("replicas");
    }

    private static final Set<String> FREE_FORM =
            Set.of("commonLabels", "resources", "annotations", "nodeSelector", "labels", "metricsNamespaceSelector");

    private static void collectValueKeys(String prefix, Object node, Set<String> out) {
        String last = prefix.substring(prefix.lastIndexOf('.') + 1);
        if (node instanceof Map<?, ?> map && !map.isEmpty() && !FREE_FORM.contains(last)) {
            map.forEach((k, v) -> collectValueKeys(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v, out));
        } else {
            out.add(prefix);
        }
    }

    private static void assertProbe(Probe probe, String path) {
        assertThat(probe).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
    }

    private static final Map<String, Rendered> CACHE = new LinkedHashMap<>();

    /** helm template (which also validates the values against values.schema.json), parsed with fabric8. */
    static synchronized Rendered render(Scenario scenario) {
        return CACHE.computeIfAbsent(scenario.name(), n -> {
            var template = new Helm(CHART).template().withName("exit").withNamespace("ml");
            if (scenario.valuesFile() != null) {
                template = template.withValuesFile(scenario.valuesFile());
            }
            String manifests = template.call();
            var resources = new ArrayList<HasMetadata>();
            for (String document : manifests.split("(?m)^---\\s*$")) {
                if (document.lines().anyMatch(l -> l.startsWith("kind:"))) {
                    resources.add(KUBERNETES.unmarshal(document, HasMetadata.class));
                }
            }
            assertThat(resources)
                    .allMatch(
                            r -> Objects.equals(r.getMetadata().getLabels().get("app.kubernetes.io/instance"), "exit"));
            return new Rendered(scenario, resources);
        });
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> overrides) {
        overrides.forEach((k, v) -> {
            if (v instanceof Map<?, ?> map && base.get(k) instanceof Map<?, ?> existing) {
                merge((Map<String, Object>) existing, (Map<String, Object>) map);
            } else {
                base.put(k, v);
            }
        });
        return base;
    }

    private static Map<String, String> emptyIfNull(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }

    private static List<EnvVar> env(Container container) {
        return container.getEnv() == null ? List.of() : container.getEnv();
    }

    private static int sizeOf(List<?> list) {
        return list == null ? 0 : list.size();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
