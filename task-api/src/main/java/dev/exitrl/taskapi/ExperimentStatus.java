package dev.exitrl.taskapi;

/** Lifecycle of an experiment: {@code CREATED -> RUNNING <-> PAUSED -> COMPLETED / FAILED}. */
public enum ExperimentStatus {
    CREATED,
    RUNNING,
    PAUSED,
    COMPLETED,
    FAILED
}
