package dev.exitrl.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.task.experiment.Experiment;
import dev.exitrl.task.experiment.ExperimentRepository;
import dev.exitrl.taskapi.ExperimentStatus;
import dev.exitrl.testsupport.ServiceProbe;
import java.util.UUID;
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
                .query(String.class)
                .list();
        assertThat(applied).containsExactly("1", "2", "3", "4");
    }

    @Test
    void experimentRoundTripsThroughJpaWithJsonbConfig() {
        var saved = experiments.saveAndFlush(
                new Experiment("demo", "countdown", "exit", 7L, "{\"kappa\": 10, \"rolloutsPerPrompt\": 8}"));
        var loaded = experiments.findById(saved.getId()).orElseThrow();
        assertThat(loaded.getDomain()).isEqualTo("countdown");
        assertThat(loaded.getStatus()).isEqualTo(ExperimentStatus.CREATED);
        assertThat(loaded.getSeed()).isEqualTo(7L);
        // Stored as real JSONB: PostgreSQL can query into it.
        Integer kappa = jdbc.sql("SELECT (config->>'kappa')::int FROM experiment WHERE id = ?")
                .param(saved.getId())
                .query(Integer.class)
                .single();
        assertThat(kappa).isEqualTo(10);
    }

    @Test
    void prometheusEndpointCarriesCommonTags() {
        ServiceProbe.assertCommonTags(port, "task-service");
        assertThat(ServiceProbe.getOk(port, "/actuator/prometheus")).contains("jvm_memory_used_bytes");
    }

    @Test
    void directCallsWithoutTheInternalTokenAreRefused() {
        UUID id = api.running("{\"domain\":\"countdown\",\"preset\":\"exit\"}");
        ServiceProbe.assertRefusedWithoutToken(port, "GET", "/api/experiments");
        ServiceProbe.assertRefusedWithoutToken(port, "POST", "/api/experiments");
        // The irreversible changes issue 11 found open to anyone: failing an experiment, pushing its version.
        ServiceProbe.assertRefusedWithoutToken(port, "POST", "/api/experiments/" + id + "/status");
        ServiceProbe.assertRefusedWithoutToken(port, "POST", "/api/experiments/" + id + "/policy-version");
        assertThat(api.client.getExperiment(id).status()).isEqualTo(ExperimentStatus.RUNNING);
        // Not only /api/**: what the service does not know to be public is protected.
        ServiceProbe.assertRefusedWithoutToken(port, "GET", "/actuator/metrics");
    }

    @Test
    void livenessAndReadinessProbesAreUp() {
        ServiceProbe.assertProbesUp(port);
    }
}
