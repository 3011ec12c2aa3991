package dev.exitrl.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hub names resolve to snapshots of the local Hugging Face cache, laid out as huggingface_hub writes it. */
class HfHubCacheTest {

    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path hub;

    /** A cache entry as huggingface_hub writes it: snapshot files are symbolic links into blobs/. */
    private Path download(String repoId, String... files) throws Exception {
        Path repo = hub.resolve("models--" + repoId.replace("/", "--"));
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), COMMIT);
        Path snapshot = Files.createDirectories(repo.resolve("snapshots").resolve(COMMIT));
        Path blobs = Files.createDirectories(repo.resolve("blobs"));
        for (String f : files) {
            Path blob = Files.writeString(blobs.resolve("blob-" + f), "{}");
            Files.createSymbolicLink(
                    snapshot.resolve(f),
                    Path.of("..", "..", "blobs", blob.getFileName().toString()));
        }
        return snapshot;
    }

    @Test
    void hubNameInTheCacheResolvesToItsMainSnapshot() throws Exception {
        Path snapshot = download("Qwen/Qwen2.5-0.5B-Instruct", "config.json", "model.safetensors", "tokenizer.json");
        ModelSource source = ModelSource.parse("Qwen/Qwen2.5-0.5B-Instruct", new HfHubCache(hub));
        assertThat(source).isEqualTo(new ModelSource.HfDirectory("Qwen/Qwen2.5-0.5B-Instruct", snapshot));
    }

    @Test
    void hubNameMissingOrIncompleteIsRefusedSayingWhereItLookedAndHowToFetchIt() throws Exception {
        assertThatThrownBy(() -> ModelSource.parse("Qwen/Qwen2.5-7B-Instruct", new HfHubCache(hub)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "config.model: 'Qwen/Qwen2.5-7B-Instruct' is not in the local Hugging Face cache")
                .hasMessageContaining(hub.toString())
                .hasMessageContaining("huggingface-cli download Qwen/Qwen2.5-7B-Instruct");
        download("org/partial", "config.json", "tokenizer.json");
        assertThatThrownBy(() -> ModelSource.parse("org/partial", new HfHubCache(hub)))
                .hasMessageStartingWith("config.model: 'org/partial' in the Hugging Face cache")
                .hasMessageContaining("model.safetensors");
        Path repo = hub.resolve("models--org--badref");
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), "../../../etc");
        assertThat(new HfHubCache(hub).snapshot("org/badref")).isEmpty();
    }

    @Test
    void repositoryIdsAndTheCacheDirectoryFollowHuggingFaceHub() {
        assertThat(HfHubCache.isRepoId("Qwen/Qwen2.5-0.5B-Instruct")).isTrue();
        assertThat(HfHubCache.isRepoId("tiny")).isFalse();
        assertThat(HfHubCache.isRepoId("/abs/path")).isFalse();
        assertThat(HfHubCache.isRepoId("a/b/c")).isFalse();
        assertThat(HfHubCache.isRepoId("org/..")).isFalse();
        assertThat(HfHubCache.fromEnvironment(Map.of("HF_HUB_CACHE", "/x/hub", "HF_HOME", "/y"))
                        .hub())
                .isEqualTo(Path.of("/x/hub"));
        assertThat(HfHubCache.fromEnvironment(Map.of("HF_HOME", "/y")).hub()).isEqualTo(Path.of("/y/hub"));
        assertThat(HfHubCache.fromEnvironment(Map.of()).hub())
                .isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "huggingface", "hub"));
    }
}
