package dev.exitrl.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Backends that are down or slow: the task-service's port has nothing listening (connection refused), the
 * trainer's answers after the gateway's read timeout. The caller gets 503 and 504 problem+json and the log one WARN
 * line each, no ERROR and no stack trace.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "exit.gateway.api-keys=ci:write:" + GatewayBackendDownTest.KEY,
            "exit.internal-token=down-test-internal-token-0123456789",
            "spring.http.clients.read-timeout=1s"
        })
@ExtendWith(OutputCaptureExtension.class)
class GatewayBackendDownTest {
    static final String KEY = "down-test-key-0123456789";
    static final HttpServer SLOW = slowServer();

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        int closed = closedPort();
        registry.add("exit.gateway.services.task-service", () -> "http://127.0.0.1:" + closed);
        registry.add("exit.gateway.services.rollout-service", () -> "http://127.0.0.1:" + closed);
        registry.add(
                "exit.gateway.services.trainer-service",
                () -> "http://127.0.0.1:" + SLOW.getAddress().getPort());
    }

    @AfterAll
    static void stop() {
        SLOW.stop(0);
    }

    @LocalServerPort
    int port;

    HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                                .header("Authorization", "Bearer " + KEY)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBackendThatIsDownAnswers503ProblemJson(CapturedOutput output) throws Exception {
        for (String path : new String[] {"/api/experiments", "/api/rollouts/status"}) {
            var response = get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(503);
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(response.body()).contains("\"status\":503").contains("not reachable");
        }
        assertThat(output.getAll()).contains("GET /api/experiments -> 503");
        assertThat(output.getAll()).doesNotContain(" ERROR ").doesNotContain("\tat ");
    }

    @Test
    void aBackendThatDoesNotAnswerInTimeAnswers504ProblemJson(CapturedOutput output) throws Exception {
        var response = get("/api/trainer/status");
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(response.body()).contains("\"status\":504");
        assertThat(output.getAll()).contains("GET /api/trainer/status -> 504");
        assertThat(output.getAll()).doesNotContain(" ERROR ").doesNotContain("\tat ");
    }

    private static int closedPort() {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort(); // closed again when this returns: connections are refused
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpServer slowServer() {
        try {
            var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                try {
                    Thread.sleep(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.setExecutor(Executors.newCachedThreadPool());
            server.start();
            return server;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
