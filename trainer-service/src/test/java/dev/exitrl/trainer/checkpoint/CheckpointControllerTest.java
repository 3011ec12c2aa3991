package dev.exitrl.trainer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.testsupport.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The download endpoint over a real port: the bytes, their checksum header and length, and the errors. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CheckpointControllerTest {

    @TempDir
    static Path checkpoints;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("exit.trainer.checkpoint-dir", () -> checkpoints.toString());
        registry.add("exit.trainer.loop-enabled", () -> "false");
        registry.add("exit.trainer.public-url", () -> "http://trainer.example:8083/");
    }

    @LocalServerPort
    int port;

    @Autowired
    CheckpointStore store;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesThePolicyZipWithItsSha256AndLength() throws Exception {
        UUID experiment = UUID.randomUUID();
        store.write(experiment, 0, CheckpointStoreTest.files("w0"));
        CheckpointStore.Checkpoint v1 =
                store.write(experiment, 1, CheckpointStoreTest.files("w1")).checkpoint();

        HttpResponse<byte[]> r = get("/api/trainer/experiments/" + experiment + "/checkpoints/1");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/zip");
        assertThat(r.headers().firstValue("Content-Length")).hasValue(Long.toString(v1.bytes()));
        assertThat(r.body()).isEqualTo(Files.readAllBytes(v1.policyZip()));
        String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(r.body()));
        assertThat(r.headers().firstValue("X-Checkpoint-Sha256")).hasValue(sha);
        assertThat(sha).isEqualTo(v1.sha256());

        String list = new String(
                get("/api/trainer/experiments/" + experiment + "/checkpoints").body());
        assertThat(list)
                .contains("\"version\":0", "\"version\":1", "\"sha256\":\"" + sha + "\"", "\"bytes\":" + v1.bytes())
                .contains("\"uri\":\"http://trainer.example:8083/api/trainer/experiments/" + experiment
                        + "/checkpoints/1\"");
    }

    @Test
    void unknownVersionOrExperimentIsProblem404() throws Exception {
        UUID experiment = UUID.randomUUID();
        store.write(experiment, 0, CheckpointStoreTest.files("w0"));
        for (String path : new String[] {
            "/api/trainer/experiments/" + experiment + "/checkpoints/7",
            "/api/trainer/experiments/" + UUID.randomUUID() + "/checkpoints/0"
        }) {
            HttpResponse<byte[]> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(new String(r.body())).contains("no checkpoint");
        }
        String empty = new String(get("/api/trainer/experiments/" + UUID.randomUUID() + "/checkpoints")
                .body());
        assertThat(empty).contains("\"checkpoints\":[]");
    }

    @Test
    void badPathVariablesAreProblem400NamingTheField() throws Exception {
        HttpResponse<byte[]> badId = get("/api/trainer/experiments/not-a-uuid/checkpoints/0");
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(badId.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(new String(badId.body())).contains("\"field\":\"id\"");

        HttpResponse<byte[]> badList = get("/api/trainer/experiments/xyz/checkpoints");
        assertThat(badList.statusCode()).isEqualTo(400);

        for (String version : new String[] {"-1", "v1", "1.5", "99999999999999999999"}) {
            HttpResponse<byte[]> r = get("/api/trainer/experiments/" + UUID.randomUUID() + "/checkpoints/" + version);
            assertThat(r.statusCode()).as(version).isEqualTo(400);
            assertThat(new String(r.body())).as(version).contains("\"field\":\"version\"");
        }
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(
                TestTokens.request(URI.create("http://localhost:" + port + path))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }
}
