package dev.exitrl.taskapi;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;

/** Moves an experiment along its lifecycle. */
public record StatusChange(
        @Schema(example = "RUNNING") @NotNull ExperimentStatus status) {}
