package dev.exitrl.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.task.experiment.Experiment;
import dev.exitrl.task.experiment.ExperimentRepository;
import dev.exitrl.task.experiment.ExperimentStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class TaskServiceApplicationTest extends TaskServiceTestBase {
    @Autowired
    ExperimentRepository experiments;

    @Test
    void flywayMigratedARealPostgres() {
        String version = jdbc.sql("SELECT version()").query(String.class).single();
        assertThat(version).startsWith("PostgreSQL");
        var applied = jdbc.sql("SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank")
                .query(String.class).list();
        assertThat(applied).startsWith("1");
    }

    @Test
    void experimentRoundTripsThroughJpaWithJsonbConfig() {
        var saved = experiments.saveAndFlush(new Experiment("demo", "countdown", "exit", 7L,
                "{\"kappa\": 10, \"rolloutsPerPrompt\": 8}"));
        var loaded = experiments.findById(saved.getId()).orElseThrow();
        assertThat(loaded.getDomain()).isEqualTo("countdown");
        assertThat(loaded.getStatus()).isEqualTo(ExperimentStatus.CREATED);
        assertThat(loaded.getSeed()).isEqualTo(7L);
        // Stored as real JSONB: PostgreSQL can query into it.
        Integer kappa = jdbc.sql("SELECT (config->>'kappa')::int FROM experiment WHERE id = ?")
                .param(saved.getId()).query(Integer.class).single();
        assertThat(kappa).isEqualTo(10);
    }

    @Test
    void prometheusEndpointCarriesCommonTags() throws Exception {
        String body = get("/actuator/prometheus");
        assertThat(body).contains("application=\"task-service\"").contains("service=\"task-service\"");
        assertThat(body).contains("jvm_memory_used_bytes");
    }

    @Test
    void livenessAndReadinessProbesAreUp() throws Exception {
        assertThat(get("/actuator/health/liveness")).contains("\"UP\"");
        assertThat(get("/actuator/health/readiness")).contains("\"UP\"");
    }

    private String get(String path) throws Exception {
        var response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }
}
