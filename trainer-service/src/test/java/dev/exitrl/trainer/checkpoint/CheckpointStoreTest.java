package dev.exitrl.trainer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {

    @TempDir
    Path root;

    private final UUID experiment = UUID.randomUUID();

    /** Checkpoint content without a model: the store only moves files, so plain bytes test it fully. */
    static CheckpointStore.ContentWriter files(String weights) {
        return dir -> {
            Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"qwen2\"}");
            Files.writeString(dir.resolve("model.safetensors"), weights);
            Files.writeString(dir.resolve("tokenizer.json"), "{\"version\": \"1.0\"}");
            Files.writeString(dir.resolve("optimizer.safetensors"), "moments of " + weights);
            Files.writeString(dir.resolve("trainer_state.json"), "{\"step\": 1}");
        };
    }

    @Test
    void writeIsCompleteAndThePolicyZipHoldsOnlyInferenceFilesWithItsSha256() throws IOException {
        CheckpointStore store = new CheckpointStore(root, 5);
        CheckpointStore.Written w = store.write(experiment, 0, files("w0"));
        CheckpointStore.Checkpoint c = w.checkpoint();

        assertThat(c.dir()).isEqualTo(root.resolve(experiment.toString()).resolve("v0"));
        assertThat(c.sha256())
                .isEqualTo(CheckpointStore.sha256Of(c.policyZip()))
                .matches("[0-9a-f]{64}");
        assertThat(c.bytes()).isEqualTo(Files.size(c.policyZip()));
        assertThat(Files.readString(c.dir().resolve(CheckpointStore.POLICY_SHA256))
                        .strip())
                .isEqualTo(c.sha256());
        assertThat(zipEntries(c.policyZip())).containsExactly("config.json", "model.safetensors", "tokenizer.json");
        assertThat(c.dir().resolve("optimizer.safetensors")).exists();
        try (var siblings = Files.list(store.experimentDir(experiment))) {
            assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly("v0");
        }
    }

    @Test
    void policyZipIsDeterministicAndCarriesTheChatTemplateWhenPresent() throws IOException {
        CheckpointStore store = new CheckpointStore(root, 5);
        String a = store.write(experiment, 0, files("same")).checkpoint().sha256();
        String b = store.write(UUID.randomUUID(), 0, files("same")).checkpoint().sha256();
        String other =
                store.write(UUID.randomUUID(), 0, files("other")).checkpoint().sha256();
        assertThat(a).isEqualTo(b).isNotEqualTo(other);

        CheckpointStore.Checkpoint withTemplate = store.write(experiment, 1, dir -> {
                    files("same").write(dir);
                    Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": \"{{x}}\"}");
                })
                .checkpoint();
        assertThat(zipEntries(withTemplate.policyZip())).contains("tokenizer_config.json");
    }

    @Test
    void halfWrittenTempDirIsIgnoredByReadersAndCleanedByRecovery() throws IOException {
        CheckpointStore store = new CheckpointStore(root, 5);
        store.write(experiment, 0, files("w0"));
        // A write killed before its rename: a temporary directory with a full-looking content.
        Path temp = AtomicDirectories.tempFor(store.experimentDir(experiment).resolve("v1"));
        files("w1").write(temp);
        Files.writeString(temp.resolve(CheckpointStore.POLICY_ZIP), "truncated");
        // And a version directory without its checksum (not made by this store) is not a version either.
        Path foreign = Files.createDirectories(store.experimentDir(experiment).resolve("v2"));
        Files.writeString(foreign.resolve(CheckpointStore.POLICY_ZIP), "no checksum");

        assertThat(store.list(experiment))
                .extracting(CheckpointStore.Checkpoint::version)
                .containsExactly(0L);
        assertThat(store.latestVersion(experiment)).hasValue(0);
        assertThat(store.find(experiment, 1)).isEmpty();

        assertThat(store.recover(experiment)).isEqualTo(1);
        assertThat(temp).doesNotExist();
        assertThat(store.latestVersion(experiment)).hasValue(0);
    }

    @Test
    void failedContentLeavesNoVersionAndNoTempDir() throws IOException {
        CheckpointStore store = new CheckpointStore(root, 5);
        assertThatThrownBy(() -> store.write(experiment, 0, dir -> Files.writeString(dir.resolve("config.json"), "{}")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("model.safetensors");
        assertThatThrownBy(() -> store.write(experiment, 0, dir -> {
                    throw new IOException("disk full");
                }))
                .hasMessage("disk full");
        assertThat(store.list(experiment)).isEmpty();
        try (var left = Files.list(store.experimentDir(experiment))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void versionsAreNeverRewritten() throws IOException {
        CheckpointStore store = new CheckpointStore(root, 5);
        String first = store.write(experiment, 3, files("a")).checkpoint().sha256();
        assertThatThrownBy(() -> store.write(experiment, 3, files("b")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("never rewritten");
        assertThat(store.find(experiment, 3).orElseThrow().sha256()).isEqualTo(first);
    }

    @Test
    void retentionKeepsTheNewestAndPinnedVersions() throws IOException {
        CheckpointStore store = new CheckpointStore(root, 3);
        for (long v = 0; v <= 9; v++) {
            store.write(experiment, v, files("w" + v));
        }
        List<Long> deleted = store.retain(experiment, Set.of(2L, 8L));
        assertThat(deleted).containsExactly(0L, 1L, 3L, 4L, 5L, 6L);
        assertThat(store.list(experiment))
                .extracting(CheckpointStore.Checkpoint::version)
                .containsExactly(2L, 7L, 8L, 9L);
        assertThat(store.latestVersion(experiment)).hasValue(9);
    }

    @Test
    void listOrdersVersionsNumerically() throws IOException {
        CheckpointStore store = new CheckpointStore(root, 50);
        for (long v : new long[] {10, 2, 1}) {
            store.write(experiment, v, files("w" + v));
        }
        assertThat(store.list(experiment))
                .extracting(CheckpointStore.Checkpoint::version)
                .containsExactly(1L, 2L, 10L);
        assertThat(store.list(UUID.randomUUID())).isEmpty();
    }

    static List<String> zipEntries(Path zip) throws IOException {
        List<String> names = new ArrayList<>();
        try (InputStream in = Files.newInputStream(zip);
                ZipInputStream z = new ZipInputStream(in, StandardCharsets.UTF_8)) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                names.add(e.getName());
            }
        }
        return names;
    }
}
