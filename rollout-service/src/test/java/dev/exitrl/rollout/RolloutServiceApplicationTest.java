package dev.exitrl.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.testsupport.ServiceProbe;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
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
        assertThat(get("/api/rollouts/status")).contains("\"device\":\"auto\"").contains("\"leaseBatchSize\":16");
    }

    private String get(String path) {
        return ServiceProbe.getOk(port, path);
    }
}
