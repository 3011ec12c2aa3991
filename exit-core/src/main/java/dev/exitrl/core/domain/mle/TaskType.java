package dev.exitrl.core.domain.mle;

/** What a competition predicts. */
enum TaskType {
    BINARY,
    MULTICLASS,
    REGRESSION;

    boolean isClassification() {
        return this != REGRESSION;
    }
}
