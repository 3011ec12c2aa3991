package dev.exitrl.task.experiment;

/** Life cycle of an experiment. */
public enum ExperimentStatus {
    CREATED,
    RUNNING,
    PAUSED,
    COMPLETED,
    FAILED
}
