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
        if (depth < 0) throw new IllegalArgumentException("depth must be >= 0, was " + depth);
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

    public boolean isBase() {
        return depth == 0;
    }
}
