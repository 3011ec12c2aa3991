package dev.exitrl.core.task;

/**
 * What a rollout is asked to do with a task instance.
 *
 * <ul>
 *   <li>{@link #SOLVE}: answer the base task from scratch (depth 0, no previous attempt).</li>
 *   <li>{@link #IMPROVE}: revise the latest response so that it is better.</li>
 *   <li>{@link #DIVERGE}: state the current approach, propose a significantly different one, then answer.</li>
 *   <li>{@link #DEBUG}: the previous attempt failed; its error (feedback) is shown and must be fixed.</li>
 * </ul>
 */
public enum StepKind {
    SOLVE,
    IMPROVE,
    DIVERGE,
    DEBUG;

    /** True for every kind that revises an earlier attempt (all but {@link #SOLVE}). */
    public boolean isSelfIteration() {
        return this != SOLVE;
    }
}
