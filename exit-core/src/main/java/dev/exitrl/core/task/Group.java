package dev.exitrl.core.task;

import java.util.List;
import java.util.Objects;

/** A GRPO group: G rollouts of one task instance, one step kind, one policy version. */
public record Group(TaskInstance instance, StepKind kind, PolicyVersion policyVersion, List<Rollout> rollouts) {
    public Group {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(policyVersion, "policyVersion");
        rollouts = List.copyOf(Objects.requireNonNull(rollouts, "rollouts"));
        if (rollouts.isEmpty()) {
            throw new IllegalArgumentException("a group needs at least one rollout");
        }
        if (instance.isBase() != (kind == StepKind.SOLVE)) {
            throw new IllegalArgumentException(
                    "step kind " + kind + " does not fit an instance of depth " + instance.depth());
        }
    }

    public int size() {
        return rollouts.size();
    }

    /** Qualities in rollout order, {@code (G)}. */
    public double[] qualities() {
        return rollouts.stream().mapToDouble(Rollout::quality).toArray();
    }

    /** Rewards in rollout order, {@code (G)}. */
    public double[] rewards() {
        return rollouts.stream().mapToDouble(Rollout::reward).toArray();
    }
}
