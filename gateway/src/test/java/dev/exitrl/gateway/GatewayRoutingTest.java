package dev.exitrl.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
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
 * receive and answer with their own name; requests go through the real gateway over HTTP. Every route needs an API
 * key, a read key may only GET, the backends see the internal token and never the caller's key, and bodies over
 * the size limit never reach them.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "exit.gateway.api-keys=ci:write:" + GatewayRoutingTest.WRITE_KEY + ", dash:read:"
                    + GatewayRoutingTest.READ_KEY,
            "exit.internal-token=" + GatewayRoutingTest.INTERNAL_TOKEN,
            "exit.gateway.max-request-size=1KB"
        })
class GatewayRoutingTest {
    static final String WRITE_KEY = "write-key-0123456789abcdef";
    static final String READ_KEY = "read-key-0123456789abcdef";
    static final String INTERNAL_TOKEN = "gateway-internal-token-0123456789";
    static final HttpClient HTTP = HttpClient.newHttpClient();

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

    HttpResponse<String> send(String method, String path, String key, HttpRequest.BodyPublisher body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, body)
                .header("Content-Type", "application/json");
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest.BodyPublisher bodyFor(String method) {
        return method.equals("POST")
                ? HttpRequest.BodyPublishers.ofString("{\"x\":1}")
                : HttpRequest.BodyPublishers.noBody();
    }

    static Backend backend(String service) {
        return switch (service) {
            case "task-service" -> TASKS;
            case "rollout-service" -> ROLLOUTS;
            default -> TRAINER;
        };
    }

    static int forwarded() {
        return TASKS.received.size() + ROLLOUTS.received.size() + TRAINER.received.size();
    }

    @ParameterizedTest
    @CsvSource({
        "GET,  /api/experiments/42?view=full, task-service",
        "POST, /api/experiments,              task-service",
        "GET,  /api/experiments/9/buffer/stats, task-service",
        "GET,  /api/evaluations/7/results,    task-service",
        "POST, /api/rollouts/workers/w1/pull, rollout-service",
        "GET,  /api/trainer/status,           trainer-service",
    })
    void routeReachesItsServiceWithTheInternalTokenInsteadOfTheKey(String method, String path, String service)
            throws Exception {
        var response = send(method, path, WRITE_KEY, bodyFor(method));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(service + " " + method + " " + path);
        Backend backend = backend(service);
        assertThat(backend.received).contains(method + " " + path);
        if (method.equals("POST")) {
            assertThat(backend.bodies).contains("{\"x\":1}");
        }
        var headers = backend.lastHeaders;
        assertThat(headers.get("X-exit-internal-token")).containsExactly(INTERNAL_TOKEN);
        assertThat(headers).doesNotContainKey("Authorization");
    }

    @ParameterizedTest
    @CsvSource({
        "GET,  /api/experiments/42?view=full",
        "POST, /api/experiments",
        "GET,  /api/experiments/9/buffer/stats",
        "GET,  /api/evaluations/7/results",
        "POST, /api/rollouts/workers/w1/pull",
        "GET,  /api/trainer/status",
        "GET,  /actuator/metrics",
    })
    void everyRouteAnswers401WithoutAValidKey(String method, String path) throws Exception {
        int before = forwarded();
        for (String key : new String[] {null, "", WRITE_KEY + "x", "not-a-key-0123456789abcdef"}) {
            var response = send(method, path, key, bodyFor(method));
            assertThat(response.statusCode()).as("key %s", key).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(response.headers().firstValue("WWW-Authenticate"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer realm=\"exit\""));
            assertThat(response.body()).contains("\"status\":401");
        }
        // Another scheme is no key either.
        var basic = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .header("Authorization", "Basic " + WRITE_KEY)
                        .method(method, bodyFor(method))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(basic.statusCode()).isEqualTo(401);
        assertThat(forwarded()).isEqualTo(before);
    }

    @Test
    void aReadKeyMayOnlyRead() throws Exception {
        assertThat(send("GET", "/api/experiments/42", READ_KEY, bodyFor("GET")).statusCode())
                .isEqualTo(200);
        assertThat(send("HEAD", "/api/experiments/42", READ_KEY, HttpRequest.BodyPublishers.noBody())
                        .statusCode())
                .isEqualTo(200);
        int before = forwarded();
        for (String method : new String[] {"POST", "PUT", "PATCH", "DELETE"}) {
            var response = send(method, "/api/experiments/42/status", READ_KEY, bodyFor("POST"));
            assertThat(response.statusCode()).as(method).isEqualTo(403);
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(response.body()).contains("'dash' is read-only");
        }
        assertThat(forwarded()).isEqualTo(before);
    }

    @Test
    void aCallerCannotForgeTheInternalToken() throws Exception {
        var response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/trainer/status"))
                        .header("Authorization", "Bearer " + READ_KEY)
                        .header("X-Exit-Internal-Token", "forged")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TRAINER.lastHeaders.get("X-exit-internal-token")).containsExactly(INTERNAL_TOKEN);
    }

    @Test
    void bodiesOverTheLimitAreRefusedWith413BeforeForwarding() throws Exception {
        int before = forwarded();
        String big = "{\"x\":\"" + "a".repeat(2048) + "\"}";
        var sized = send("POST", "/api/experiments", WRITE_KEY, HttpRequest.BodyPublishers.ofString(big));
        assertThat(sized.statusCode()).isEqualTo(413);
        assertThat(sized.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(sized.body()).contains("max-request-size");
        // Chunked (no Content-Length): read up to the limit, then refused.
        var chunked = send(
                "POST",
                "/api/experiments",
                WRITE_KEY,
                HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))));
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(forwarded()).isEqualTo(before);
        // Under the limit, chunked still arrives whole.
        String small = "{\"x\":\"" + "b".repeat(500) + "\"}";
        var ok = send(
                "POST",
                "/api/experiments",
                WRITE_KEY,
                HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(small.getBytes(StandardCharsets.UTF_8))));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(TASKS.bodies).contains(small);
    }

    @Test
    void probesScrapeAndStaticPathsNeedNoKey() throws Exception {
        for (String path :
                new String[] {"/actuator/health/liveness", "/actuator/health/readiness", "/actuator/prometheus"}) {
            assertThat(send("GET", path, null, HttpRequest.BodyPublishers.noBody())
                            .statusCode())
                    .as(path)
                    .isEqualTo(200);
        }
        // No OpenAPI document or dashboard is served here yet (404), but none of them asks for a key.
        for (String path : new String[] {"/v3/api-docs", "/swagger-ui/index.html", "/", "/dashboard/app.js"}) {
            assertThat(send("GET", path, null, HttpRequest.BodyPublishers.noBody())
                            .statusCode())
                    .as(path)
                    .isNotIn(401, 403);
        }
    }

    @Test
    void unknownPathIsNotForwarded() throws Exception {
        int before = TASKS.received.size() + ROLLOUTS.received.size() + TRAINER.received.size();
        var response = send("GET", "/api/tasks/1", READ_KEY, HttpRequest.BodyPublishers.noBody());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(TASKS.received.size() + ROLLOUTS.received.size() + TRAINER.received.size())
                .isEqualTo(before);
    }

    /** A real HTTP server on a loopback port that echoes the request line it received. */
    static final class Backend {
        final HttpServer server;
        final List<String> received = new CopyOnWriteArrayList<>();
        final List<String> bodies = new CopyOnWriteArrayList<>();
        volatile Map<String, List<String>> lastHeaders = Map.of();

        Backend(String name) {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext("/", exchange -> {
                String line = exchange.getRequestMethod() + " " + exchange.getRequestURI();
                received.add(line);
                lastHeaders = Map.copyOf(exchange.getRequestHeaders());
                bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                byte[] body = (name + " " + line).getBytes(StandardCharsets.UTF_8);
                if (exchange.getRequestMethod().equals("HEAD")) {
                    exchange.sendResponseHeaders(200, -1);
                } else {
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                }
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }
    }
}
