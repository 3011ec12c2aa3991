package dev.exitrl.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway's one Swagger UI: its configuration lists every service's document, and each document's route reaches
 * that service's {@code /v3/api-docs} (real HTTP backends stand in for the services). The documents and the UI need
 * no API key (the requests here send none).
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "exit.gateway.api-keys=docs:read:openapi-test-key-0123456789",
            "exit.internal-token=openapi-test-internal-token-0123456789"
        })
class GatewayOpenApiTest {
    private static final GatewayRoutingTest.Backend TASKS = new GatewayRoutingTest.Backend("task-service");
    private static final GatewayRoutingTest.Backend ROLLOUTS = new GatewayRoutingTest.Backend("rollout-service");
    private static final GatewayRoutingTest.Backend TRAINER = new GatewayRoutingTest.Backend("trainer-service");

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        registry.add("exit.gateway.services.task-service", TASKS::url);
        registry.add("exit.gateway.services.rollout-service", ROLLOUTS::url);
        registry.add("exit.gateway.services.trainer-service", TRAINER::url);
    }

    @AfterAll
    static void stopBackends() {
        List.of(TASKS, ROLLOUTS, TRAINER).forEach(b -> b.server.stop(0));
    }

    @LocalServerPort
    int port;

    @Test
    void swaggerUiConfigurationListsEveryService() throws Exception {
        var config = get("/v3/api-docs/swagger-config");
        assertThat(config.statusCode()).isEqualTo(200);
        JsonNode json = JsonMapper.builder().build().readTree(config.body());
        var listed = new ArrayList<String>();
        json.path("urls")
                .forEach(u -> listed.add(
                        u.path("name").asString() + " " + u.path("url").asString()));
        assertThat(listed)
                .containsExactlyInAnyOrder(
                        "task-service /v3/api-docs/task-service",
                        "rollout-service /v3/api-docs/rollout-service",
                        "trainer-service /v3/api-docs/trainer-service");
        assertThat(json.path("urls.primaryName").asString()).isEqualTo("task-service");

        var ui = get("/swagger-ui/index.html");
        assertThat(ui.statusCode()).isEqualTo(200);
        assertThat(ui.body()).contains("swagger-ui");
    }

    @ParameterizedTest
    @ValueSource(strings = {"task-service", "rollout-service", "trainer-service"})
    void eachDocumentComesFromItsService(String service) throws Exception {
        var response = get("/v3/api-docs/" + service);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(service + " GET /v3/api-docs");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
