package dev.exitrl.task.evaluation;

/** Life cycle of an evaluation: results are accepted while it runs; completing or failing it closes it. */
enum EvaluationStatus {
    RUNNING,
    COMPLETED,
    FAILED
}
