package dev.exitrl.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.testsupport.OpenApiDocs;
import dev.exitrl.testsupport.ServiceProbe;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TrainerServiceApplicationTest {
    @LocalServerPort
    int port;

    @Test
    void prometheusEndpointCarriesCommonTags() {
        ServiceProbe.assertCommonTags(port, "trainer-service");
    }

    @Test
    void livenessAndReadinessProbesAreUp() {
        ServiceProbe.assertProbesUp(port);
    }

    @Test
    void statusShowsTheBoundConfiguration() {
        assertThat(get("/api/trainer/status")).contains("\"device\":\"auto\"").contains("checkpoints");
    }

    @Test
    void openApiDocumentSummarisesEveryOperation() {
        OpenApiDocs.assertDocumented(port, "CheckpointList", "Status");
    }

    private String get(String path) {
        return ServiceProbe.getOk(port, path);
    }
}
