package dev.exitrl.core.task;

import java.util.Objects;

/**
 * A task instance {@code (m, k, tau)}: base task {@code m}, iteration depth {@code k} and partial history
 * {@code tau}. Depth 0 is the base task itself with an empty history; an instance of depth {@code k > 0}
 * asks for a revision of the latest response in {@code tau}, which is its {@code k}-th iterate.
 */
public record TaskInstance(BaseTaskRef task, int depth, History history) {
    public TaskInstance {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(history, "history");
        if (depth < 0) {
            throw new IllegalArgumentException("depth must be >= 0, was " + depth);
        }
        if (depth == 0 && !history.isEmpty()) {
            throw new IllegalArgumentException("a depth-0 instance has no history");
        }
        if (depth > 0 && history.isEmpty()) {
            throw new IllegalArgumentException("an instance of depth " + depth + " needs a history");
        }
    }

    /** The base task as an instance: depth 0, no previous attempt. */
    public static TaskInstance base(BaseTaskRef task) {
        return new TaskInstance(task, 0, History.empty());
    }

    /**
     * The instance whose partial history is {@code history}: depth = iterate of its latest turn (0 for an
     * empty history). With our 1-based {@link Turn#iterate()}, this is the paper's {@code k'+1} where
     * {@code k'} is the 0-based index of the latest iterate.
     */
    public static TaskInstance of(BaseTaskRef task, History history) {
        return new TaskInstance(task, depthOf(history), history);
    }

    /** Depth an instance with this history has: the iterate of the latest turn, 0 when empty. */
    public static int depthOf(History history) {
        return history.isEmpty() ? 0 : history.latest().iterate();
    }

    public boolean isBase() {
        return depth == 0;
    }

    /**
     * The history after answering this instance with {@code response} in the current turn: a base task
     * gets its first turn (iterate 1); otherwise the latest turn is replaced by its next iterate.
     * Multi-turn domains that continue into further turns append them with {@link History#withNextTurn}.
     */
    public History answeredWith(String response, String feedback) {
        if (history.isEmpty()) {
            return History.of(new Turn(response, 1, feedback));
        }
        return history.withLatest(new Turn(response, history.latest().iterate() + 1, feedback));
    }
}
