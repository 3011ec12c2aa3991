package dev.exitrl.trainer.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The local Hugging Face hub cache, read the way {@code huggingface_hub} writes it, so that an experiment naming a
 * hub model ({@code Qwen/Qwen2.5-0.5B-Instruct}, as the domain presets do) uses a copy the user downloaded with
 * {@code huggingface-cli download} without the trainer ever touching the network.
 *
 * <p>Layout: {@code <hub>/models--<org>--<name>/refs/main} holds the commit of the {@code main} revision and
 * {@code <hub>/models--<org>--<name>/snapshots/<commit>/} the files. The hub directory is {@code HF_HUB_CACHE}, else
 * {@code HF_HOME/hub}, else {@code ~/.cache/huggingface/hub}, as in {@code huggingface_hub}.
 *
 * @param hub the hub cache directory (it need not exist)
 */
record HfHubCache(Path hub) {

    private static final Pattern REPO_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    /** The cache {@code huggingface_hub} would use with these environment variables. */
    static HfHubCache fromEnvironment(Map<String, String> env) {
        String hubCache = env.get("HF_HUB_CACHE");
        if (hubCache != null && !hubCache.isBlank()) {
            return new HfHubCache(Path.of(hubCache));
        }
        String home = env.get("HF_HOME");
        if (home != null && !home.isBlank()) {
            return new HfHubCache(Path.of(home, "hub"));
        }
        return new HfHubCache(Path.of(System.getProperty("user.home"), ".cache", "huggingface", "hub"));
    }

    /** Whether {@code name} has the shape of a hub repository id ({@code org/name}). */
    static boolean isRepoId(String name) {
        return REPO_ID.matcher(name).matches() && !name.contains("..");
    }

    /** The snapshot directory of the repository's {@code main} revision, when the cache has one. */
    Optional<Path> snapshot(String repoId) {
        Path repo = hub.resolve("models--" + repoId.replace("/", "--"));
        try {
            Path ref = repo.resolve("refs").resolve("main");
            if (!Files.isRegularFile(ref)) {
                return Optional.empty();
            }
            String commit = Files.readString(ref).trim();
            if (!COMMIT.matcher(commit).matches()) {
                return Optional.empty();
            }
            Path snapshot = repo.resolve("snapshots").resolve(commit);
            return Files.isDirectory(snapshot) ? Optional.of(snapshot) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
