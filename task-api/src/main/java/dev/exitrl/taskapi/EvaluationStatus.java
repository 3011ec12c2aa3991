package dev.exitrl.taskapi;

/** An evaluation is open while results arrive, then completed or failed. */
public enum EvaluationStatus {
    RUNNING,
    COMPLETED,
    FAILED
}
