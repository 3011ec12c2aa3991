package dev.exitrl.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * No secret in the log or the actuator: the gateway boots with known keys (one from a mounted key file, one from
 * the property) and a known internal token, with DEBUG logging of the gateway and its proxy; the test makes every
 * kind of refusal and a forward to a backend that is down, reads every exposed actuator endpoint with a valid key,
 * and searches the captured log and all answers for the secret values.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "exit.gateway.api-keys=dash:read:" + GatewaySecretsTest.READ_KEY,
            "exit.internal-token=" + GatewaySecretsTest.INTERNAL_TOKEN,
            "logging.level.dev.exitrl=DEBUG",
            "logging.level.org.springframework.cloud.gateway=DEBUG",
            "logging.level.org.springframework.web=DEBUG"
        })
@ExtendWith(OutputCaptureExtension.class)
class GatewaySecretsTest {
    static final String WRITE_KEY = "file-write-key-7f3a9c0e5b1d";
    static final String READ_KEY = "prop-read-key-2e8b4d6f0a1c";
    static final String INTERNAL_TOKEN = "secret-internal-token-9d1f3b5a7c";
    static final List<String> SECRETS = List.of(WRITE_KEY, READ_KEY, INTERNAL_TOKEN);
    static final Path KEY_FILE = keyFile();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void config(DynamicPropertyRegistry registry) {
        registry.add("exit.gateway.api-keys-file", KEY_FILE::toString);
        String down = "http://127.0.0.1:" + closedPort();
        registry.add("exit.gateway.services.task-service", () -> down);
        registry.add("exit.gateway.services.rollout-service", () -> down);
        registry.add("exit.gateway.services.trainer-service", () -> down);
    }

    @LocalServerPort
    int port;

    HttpResponse<String> send(String method, String path, String header, String value) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, HttpRequest.BodyPublishers.ofString("{}"))
                .header("Content-Type", "application/json");
        if (header != null) {
            request.header(header, value);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void secretsAppearNeitherInTheLogNorInAnyAnswer(CapturedOutput output) throws Exception {
        var answers = new ArrayList<HttpResponse<String>>();
        // Refusals: no key, a wrong key, a near miss, a key in the wrong scheme or header, a read key writing.
        answers.add(send("GET", "/api/experiments", null, null));
        answers.add(send("GET", "/api/experiments", "Authorization", "Bearer " + WRITE_KEY + "0"));
        answers.add(send("GET", "/api/experiments", "Authorization", "Basic " + READ_KEY));
        answers.add(send("GET", "/api/experiments", "X-Exit-Internal-Token", INTERNAL_TOKEN));
        answers.add(send("POST", "/api/experiments", "Authorization", "Bearer " + READ_KEY));
        assertThat(answers).extracting(HttpResponse::statusCode).containsExactly(401, 401, 401, 401, 403);
        // Accepted, forwarded with the internal token to a backend that is down.
        var forwarded = send("POST", "/api/experiments", "Authorization", "Bearer " + WRITE_KEY);
        assertThat(forwarded.statusCode()).isEqualTo(503);
        answers.add(forwarded);
        // Every actuator endpoint a caller with a key can read; env and configprops are not exposed at all.
        for (String path : new String[] {
            "/actuator",
            "/actuator/health",
            "/actuator/info",
            "/actuator/metrics",
            "/actuator/prometheus",
            "/actuator/env",
            "/actuator/env/exit.internal-token",
            "/actuator/configprops",
            "/actuator/gateway/routes"
        }) {
            var response = send("GET", path, "Authorization", "Bearer " + WRITE_KEY);
            if (path.startsWith("/actuator/env") || path.startsWith("/actuator/configprops")) {
                assertThat(response.statusCode()).as(path).isEqualTo(404);
            }
            answers.add(response);
        }

        // The log did see the requests (so it was captured, at DEBUG), but none of the values.
        assertThat(output.getAll()).contains("Refused POST /api/experiments: API key 'dash' is read-only");
        assertThat(output.getAll()).contains("POST /api/experiments -> 503");
        for (String secret : SECRETS) {
            assertThat(output.getAll()).as("log").doesNotContain(secret);
            for (var answer : answers) {
                assertThat(answer.body()).as(answer.uri().toString()).doesNotContain(secret);
                assertThat(answer.headers().map().toString())
                        .as(answer.uri().toString())
                        .doesNotContain(secret);
            }
        }
    }

    private static Path keyFile() {
        try {
            Path file = Files.createTempFile("exit-api-keys", ".txt");
            file.toFile().deleteOnExit();
            Files.writeString(file, "# name:role:key, one per line\n\nci:write:" + WRITE_KEY + "\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int closedPort() {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
