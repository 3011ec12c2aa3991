package dev.exitrl.rollout.engine;

import dev.exitrl.core.domain.BaseTask;
import dev.exitrl.core.task.History;
import dev.exitrl.core.task.StepKind;
import java.util.Objects;

/**
 * One prompt slot of a batch: the task instance to roll out G times.
 *
 * @param slot the slot's index in its lease (echoed back with its group)
 * @param task the base task (the verifier reads it)
 * @param stepKind what the rollouts are asked to do
 * @param history the instance's partial history (empty for SOLVE)
 * @param prompt the rendered prompt, as the task space rendered it
 * @param parentQuality quality of the response being revised; null at depth 0 (or when the task space does not know
 *     it: the engine then verifies the latest response of the history again)
 * @param groupSize G, rollouts of this slot
 */
public record RolloutSlot(
        int slot,
        BaseTask task,
        StepKind stepKind,
        History history,
        String prompt,
        Double parentQuality,
        int groupSize) {
    public RolloutSlot {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(stepKind, "stepKind");
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(prompt, "prompt");
        if (groupSize < 1) {
            throw new IllegalArgumentException("groupSize must be >= 1, was " + groupSize);
        }
        if (stepKind.isSelfIteration() && history.isEmpty()) {
            throw new IllegalArgumentException("a " + stepKind + " slot needs a previous attempt");
        }
    }
}
