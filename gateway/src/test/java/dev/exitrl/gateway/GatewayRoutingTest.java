package dev.exitrl.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Each route reaches a real HTTP backend: three JDK HTTP servers stand in for the services, record what they
 * receive and answer with their own name; requests go through the real gateway over HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayRoutingTest {
    private static final Backend TASKS = new Backend("task-service");
    private static final Backend ROLLOUTS = new Backend("rollout-service");
    private static final Backend TRAINER = new Backend("trainer-service");

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

    @ParameterizedTest
    @CsvSource({
        "GET,  /api/experiments/42?view=full, task-service",
        "POST, /api/experiments,              task-service",
        "GET,  /api/experiments/9/buffer/stats, task-service",
        "GET,  /api/evaluations/7/results,    task-service",
        "POST, /api/rollouts/workers/w1/pull, rollout-service",
        "GET,  /api/trainer/status,           trainer-service",
    })
    void routeReachesItsService(String method, String path, String service) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(
                        method,
                        method.equals("POST")
                                ? HttpRequest.BodyPublishers.ofString("{\"x\":1}")
                                : HttpRequest.BodyPublishers.noBody())
                .header("Content-Type", "application/json")
                .build();
        var response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(service + " " + method + " " + path);
        Backend backend = switch (service) {
            case "task-service" -> TASKS;
            case "rollout-service" -> ROLLOUTS;
            default -> TRAINER;
        };
        assertThat(backend.received).contains(method + " " + path);
        if (method.equals("POST")) {
            assertThat(backend.bodies).contains("{\"x\":1}");
        }
    }

    @Test
    void unknownPathIsNotForwarded() throws Exception {
        int before = TASKS.received.size() + ROLLOUTS.received.size() + TRAINER.received.size();
        var response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/tasks/1"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(TASKS.received.size() + ROLLOUTS.received.size() + TRAINER.received.size())
                .isEqualTo(before);
    }

    /** A real HTTP server on a loopback port that echoes the request line it received. */
    static final class Backend {
        final HttpServer server;
        final List<String> received = new CopyOnWriteArrayList<>();
        final List<String> bodies = new CopyOnWriteArrayList<>();

        Backend(String name) {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext("/", exchange -> {
                String line = exchange.getRequestMethod() + " " + exchange.getRequestURI();
                received.add(line);
                bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                byte[] body = (name + " " + line).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }
    }
}
