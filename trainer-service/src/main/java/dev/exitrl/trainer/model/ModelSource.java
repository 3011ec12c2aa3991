package dev.exitrl.trainer.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What an experiment's {@code config.model} names: a from-scratch preset of exit-policy ({@code tiny}, {@code small}),
 * a local Hugging Face checkpoint directory, or a hub name ({@code org/name}) found in the local Hugging Face cache
 * ({@link HfHubCache}). The trainer never downloads models: a hub name that is not in the cache is refused, saying
 * where it looked and how to fetch it.
 */
public sealed interface ModelSource {

    List<String> PRESETS = List.of("tiny", "small");
    List<String> HF_FILES = List.of("config.json", "model.safetensors", "tokenizer.json");

    /** The setting as written in the experiment (cache keys use it). */
    String name();

    /** A from-scratch model of an exit-policy preset with a character vocabulary. */
    record Preset(String name) implements ModelSource {}

    /** An existing checkpoint directory in Hugging Face layout. */
    record HfDirectory(String name, Path dir) implements ModelSource {}

    /**
     * Reads {@code config.model}.
     *
     * @throws IllegalArgumentException naming {@code config.model} when it is neither a preset nor a directory with
     *     every file of {@link #HF_FILES}
     */
    static ModelSource parse(String model) {
        return parse(model, HfHubCache.fromEnvironment(System.getenv()));
    }

    /** {@link #parse(String)} with an explicit hub cache. */
    static ModelSource parse(String model, HfHubCache cache) {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("config.model: is required (a preset " + PRESETS
                    + " or a local Hugging Face checkpoint directory)");
        }
        if (PRESETS.contains(model)) {
            return new Preset(model);
        }
        Path dir = Path.of(model);
        if (Files.isDirectory(dir)) {
            List<String> missing = HF_FILES.stream()
                    .filter(f -> !Files.isRegularFile(dir.resolve(f)))
                    .toList();
            if (missing.isEmpty()) {
                return new HfDirectory(model, dir.toAbsolutePath().normalize());
            }
            throw new IllegalArgumentException(
                    "config.model: directory '" + model + "' is not a Hugging Face checkpoint: it lacks " + missing);
        }
        if (HfHubCache.isRepoId(model)) {
            Optional<Path> snapshot = cache.snapshot(model);
            if (snapshot.isPresent()) {
                Path snap = snapshot.get();
                List<String> missing = HF_FILES.stream()
                        .filter(f -> !Files.isRegularFile(snap.resolve(f)))
                        .toList();
                if (missing.isEmpty()) {
                    return new HfDirectory(model, snap.toAbsolutePath().normalize());
                }
                throw new IllegalArgumentException("config.model: '" + model + "' in the Hugging Face cache (" + snap
                        + ") lacks " + missing + " (a model in several safetensors shards is not supported)");
            }
            throw new IllegalArgumentException("config.model: '" + model + "' is not in the local Hugging Face cache ("
                    + cache.hub() + "); the trainer does not download models: run `huggingface-cli download "
                    + model + "` where the trainer runs (or set HF_HUB_CACHE / HF_HOME), or give a preset " + PRESETS
                    + " or a checkpoint directory");
        }
        throw new IllegalArgumentException("config.model: '" + model + "' is neither a preset " + PRESETS
                + " nor a local Hugging Face checkpoint directory (" + String.join(", ", HF_FILES)
                + "); the trainer does not download models");
    }
}
