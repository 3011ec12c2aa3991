package dev.exitrl.core.domain;

import dev.exitrl.core.task.History;
import dev.exitrl.core.task.StepKind;
import java.util.Objects;

/**
 * One supervised warm-start example: the prompt a rollout would see, a response, and the response's quality as
 * the domain's verifier scores it. The task and history are kept so that the example can be re-rendered and
 * re-verified.
 */
public record Demonstration(
        BaseTask task, StepKind kind, History history, String prompt, String response, double quality) {
    public Demonstration {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(response, "response");
        if (kind == StepKind.SOLVE && !history.isEmpty()) {
            throw new IllegalArgumentException("a SOLVE demonstration has an empty history");
        }
        if (kind != StepKind.SOLVE && history.isEmpty()) {
            throw new IllegalArgumentException("a " + kind + " demonstration needs a history");
        }
        if (!(quality >= 0.0 && quality <= 1.0)) {
            throw new IllegalArgumentException("quality must be in [0, 1], was " + quality);
        }
    }
}
