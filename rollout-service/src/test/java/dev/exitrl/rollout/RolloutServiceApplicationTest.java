package dev.exitrl.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.testsupport.OpenApiDocs;
import dev.exitrl.testsupport.ServiceProbe;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

// No worker loops: on a shared machine another task-service may answer at the default URL.
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "exit.rollout.worker-enabled=false")
@ActiveProfiles("local") // as bin/exit-local starts it
class RolloutServiceApplicationTest {
    @LocalServerPort
    int port;

    @Test
    void prometheusEndpointCarriesCommonTags() {
        ServiceProbe.assertCommonTags(port, "rollout-service");
    }

    @Test
    void livenessAndReadinessProbesAreUp() {
        ServiceProbe.assertProbesUp(port);
    }

    @Test
    void statusShowsTheBoundConfiguration() {
        assertThat(get("/api/rollouts/status"))
                .contains("\"device\":\"auto\"")
                .contains("\"leaseBatchSize\":16")
                .contains("\"maxNewTokens\":256")
                .contains("\"syncEvery\":16")
                .contains("\"maxBatch\":0")
                .contains("\"policyVersions\":{}");
    }

    @Test
    void directCallsWithoutTheInternalTokenAreRefused() {
        ServiceProbe.assertRefusedWithoutToken(port, "GET", "/api/rollouts/status");
        ServiceProbe.assertRefusedWithoutToken(port, "POST", "/api/rollouts/evaluations");
    }

    @Test
    void localModeListensOnLoopbackOnly() {
        assertThat(ServiceProbe.assertLoopbackOnly(port)).isPositive();
    }

    @Test
    void openApiDocumentSummarisesEveryOperation() {
        OpenApiDocs.assertDocumented(port, "StartEvaluation", "Started", "Status");
    }

    private String get(String path) {
        return ServiceProbe.getOk(port, path);
    }
}
