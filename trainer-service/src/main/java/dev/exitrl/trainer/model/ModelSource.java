package dev.exitrl.trainer.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What an experiment's {@code config.model} names: a from-scratch preset of exit-policy ({@code tiny}, {@code small})
 * or a local Hugging Face checkpoint directory. Hub names are refused: the trainer never downloads models.
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
        throw new IllegalArgumentException("config.model: '" + model + "' is neither a preset " + PRESETS
                + " nor a local Hugging Face checkpoint directory (" + String.join(", ", HF_FILES)
                + "); the trainer does not download models");
    }
}
