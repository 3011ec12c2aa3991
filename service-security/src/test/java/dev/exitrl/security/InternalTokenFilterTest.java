package dev.exitrl.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.taskapi.TaskSpaceClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** The filter in a real servlet container, over real HTTP, with the auto-configuration as a service gets it. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"exit.internal-token=" + InternalTokenFilterTest.TOKEN, "logging.level.dev.exitrl.security=DEBUG"
        })
@ExtendWith(OutputCaptureExtension.class)
class InternalTokenFilterTest {
    static final String TOKEN = "internal-token-under-test-0123456789";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @SpringBootApplication
    @RestController
    static class App {
        @GetMapping("/api/ping")
        String ping() {
            return "pong";
        }

        @PostMapping("/api/ping")
        String change() {
            return "changed";
        }

        @GetMapping("/v3/api-docs")
        String docs() {
            return "{}";
        }

        @GetMapping("/actuator/health/liveness")
        String live() {
            return "UP";
        }
    }

    @LocalServerPort
    int port;

    HttpResponse<String> get(String path, String token) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (token != null) {
            request.header(TaskSpaceClient.INTERNAL_TOKEN_HEADER, token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void apiWithTheTokenIsServed() throws Exception {
        var response = get("/api/ping", TOKEN);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("pong");
    }

    @Test
    void apiWithoutOrWithAWrongTokenIsRefusedWithProblemJson(CapturedOutput output) throws Exception {
        for (String token : new String[] {null, "", "wrong-token-0123456789", TOKEN + "x", TOKEN.substring(1)}) {
            var response = get("/api/ping", token);
            assertThat(response.statusCode()).as("token %s", token).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(response.body()).contains("\"status\":401").contains(TaskSpaceClient.INTERNAL_TOKEN_HEADER);
        }
        var post = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/ping"))
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(401);
        // The refusals are logged (DEBUG here) without the presented or the expected value.
        assertThat(output.getAll()).contains("Refused GET /api/ping: wrong internal token");
        assertThat(output.getAll()).doesNotContain(TOKEN).doesNotContain("wrong-token-0123456789");
    }

    @Test
    void pathTricksDoNotDressAnApiPathAsExempt() throws Exception {
        for (String path : new String[] {
            "/api/ping;jsessionid=1", "/actuator/health/../../api/ping", "/v3/api-docs/../../api/ping", "/api//ping"
        }) {
            var response = get(path, null);
            assertThat(response.statusCode()).as(path).isIn(400, 401);
        }
    }

    @Test
    void probesAndApiDocsNeedNoToken() throws Exception {
        assertThat(get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);
        assertThat(get("/v3/api-docs", null).statusCode()).isEqualTo(200);
    }

    @Test
    void unknownPathsAreProtectedToo() throws Exception {
        assertThat(get("/actuator/env", null).statusCode()).isEqualTo(401);
        assertThat(get("/anything", null).statusCode()).isEqualTo(401);
    }
}
