package dev.exitrl.taskapi;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.JsonNode;

/**
 * Creates an experiment.
 *
 * @param name   a label for people
 * @param config {@code domain} and {@code preset} are required; every other field of exit-core's
 *               {@code ExperimentConfig} is optional and overrides the paper's defaults for that domain and preset
 *               (kept as JSON here because it is a partial config; the service reads it with strict types)
 */
public record CreateExperiment(
        @Schema(example = "countdown-exit") @NotBlank @Size(max = Limits.MAX_NAME)
        String name,

        @Schema(
                example =
                        "{\"domain\":\"countdown\",\"preset\":\"exit\",\"model\":\"tiny\",\"rolloutsPerPrompt\":8,\"promptsPerBatch\":8,\"maxIterations\":200}")
        @NotNull
        JsonNode config) {}
