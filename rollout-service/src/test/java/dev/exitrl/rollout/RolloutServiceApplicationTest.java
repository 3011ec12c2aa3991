package dev.exitrl.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RolloutServiceApplicationTest {
    @LocalServerPort
    int port;

    @Test
    void prometheusEndpointCarriesCommonTags() throws Exception {
        String body = get("/actuator/prometheus");
        assertThat(body).contains("application=\"rollout-service\"").contains("service=\"rollout-service\"");
    }

    @Test
    void livenessAndReadinessProbesAreUp() throws Exception {
        assertThat(get("/actuator/health/liveness")).contains("\"UP\"");
        assertThat(get("/actuator/health/readiness")).contains("\"UP\"");
    }

    @Test
    void statusShowsTheBoundConfiguration() throws Exception {
        assertThat(get("/api/rollouts/status")).contains("\"device\":\"auto\"").contains("\"leaseBatchSize\":16");
    }

    private String get(String path) throws Exception {
        var response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }
}
