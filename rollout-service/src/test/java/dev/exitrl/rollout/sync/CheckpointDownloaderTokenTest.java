package dev.exitrl.rollout.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exitrl.testsupport.TestTokens;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workers download checkpoints from the trainer, which answers /api/** only to holders of the internal token. */
class CheckpointDownloaderTokenTest {
    @TempDir
    Path dir;

    @Test
    void theDownloaderSendsTheInternalToken() throws Exception {
        byte[] zip = zipOf("config.json", "{}");
        try (var server = new CheckpointServer(TestTokens.INTERNAL_TOKEN)) {
            var uri = server.serve("/api/trainer/experiments/e/checkpoints/1", zip);
            var sha = CheckpointServer.sha256(zip);

            assertThatThrownBy(() ->
                            new CheckpointDownloader(Duration.ofSeconds(10)).fetch(uri, sha, dir.resolve("anonymous")))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("answered 401");
            assertThat(dir.resolve("anonymous")).doesNotExist();

            Path got = new CheckpointDownloader(Duration.ofSeconds(10), TestTokens.INTERNAL_TOKEN)
                    .fetch(uri, sha, dir.resolve("v1"));
            assertThat(Files.readString(got.resolve("config.json"))).isEqualTo("{}");
        }
    }

    private static byte[] zipOf(String name, String content) throws IOException {
        var bytes = new ByteArrayOutputStream();
        try (var zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }
}
