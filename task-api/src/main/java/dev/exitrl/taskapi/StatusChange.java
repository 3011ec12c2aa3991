package dev.exitrl.taskapi;

import jakarta.validation.constraints.NotNull;

/** Moves an experiment along its lifecycle. */
public record StatusChange(@NotNull ExperimentStatus status) {}
