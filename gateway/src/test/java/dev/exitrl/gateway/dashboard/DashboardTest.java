package dev.exitrl.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The dashboard is served by the gateway without a key, with everything it loads from the gateway itself: the
 * scripts it names are served, and no file of it names another origin.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "exit.gateway.api-keys=dash:read:dashboard-test-key-0123456789",
            "exit.internal-token=dashboard-test-internal-token-0123456789"
        })
class DashboardTest {
    static final Path SOURCES = Path.of("src/main/resources/static/dashboard");
    static final Pattern SCRIPT_OR_STYLE = Pattern.compile("(?:src|href)=\"([^\"]+)\"");

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void rootRedirectsToTheDashboardWhichIsServedWithoutAKey() throws Exception {
        var root = get("/");
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location").orElseThrow()).endsWith("/dashboard/");

        var page = get("/dashboard/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.body()).contains("<title>ExIt dashboard</title>");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'self'")
                .contains("connect-src 'self'");
    }

    @Test
    void everyScriptAndStylesheetThePageNamesIsServed() throws Exception {
        String html = get("/dashboard/").body();
        var matcher = SCRIPT_OR_STYLE.matcher(html);
        int found = 0;
        while (matcher.find()) {
            String ref = matcher.group(1);
            String path = ref.startsWith("/") ? ref : "/dashboard/" + ref;
            var response = get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.body()).as(path).isNotBlank();
            found++;
        }
        // chart.js from its WebJar, the module and the stylesheet.
        assertThat(found).isEqualTo(3);
        assertThat(html).contains("/webjars/chart.js/");
        // The modules app.js imports are served too.
        for (String module : List.of("api.js", "charts.js")) {
            var response = get("/dashboard/" + module);
            assertThat(response.statusCode()).as(module).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type").orElseThrow())
                    .as(module)
                    .contains("javascript");
        }
    }

    @Test
    void theApiStillNeedsAKeyWhileThePageDoesNot() throws Exception {
        assertThat(get("/dashboard/").statusCode()).isEqualTo(200);
        assertThat(get("/webjars/chart.js/4.4.1/dist/chart.umd.js").statusCode())
                .isEqualTo(200);
        assertThat(get("/api/experiments").statusCode()).isEqualTo(401);
    }

    @Test
    void noFileOfTheDashboardNamesAnotherOrigin() throws IOException {
        var origin = Pattern.compile("(?i)(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString()).contains("index.html", "app.js");
        for (Path file : files) {
            String text = Files.readString(file);
            assertThat(origin.matcher(text).find())
                    .as(file + " names an external URL")
                    .isFalse();
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
