package dev.exitrl.taskapi;

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
        @NotBlank @Size(max = Limits.MAX_NAME) String name,
        @NotNull JsonNode config) {}
