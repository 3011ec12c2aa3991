package dev.exitrl.core.task;

import java.util.Objects;

/**
 * Names one base task {@code m}: the domain it belongs to and its id inside that domain.
 * The task's content (problem text, answer, ...) lives with the domain and the task store.
 */
public record BaseTaskRef(String domain, String taskId) {
    public BaseTaskRef {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(taskId, "taskId");
        if (domain.isBlank()) {
            throw new IllegalArgumentException("domain must not be blank");
        }
        if (taskId.isBlank()) {
            throw new IllegalArgumentException("taskId must not be blank");
        }
    }
}
