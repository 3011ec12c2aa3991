package dev.exitrl.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.testsupport.OpenApiDocs;
import dev.exitrl.testsupport.ServiceProbe;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

// No worker loops: on a shared machine another task-service may answer at the default URL.
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "exit.rollout.worker-enabled=false")
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
                .contains("\"policyVersions\":{}");
    }

    @Test
    void openApiDocumentSummarisesEveryOperation() {
        OpenApiDocs.assertDocumented(port, "StartEvaluation", "Started", "Status");
    }

    private String get(String path) {
        return ServiceProbe.getOk(port, path);
    }
}
