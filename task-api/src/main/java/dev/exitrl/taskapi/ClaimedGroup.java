package dev.exitrl.taskapi;

import dev.exitrl.core.task.StepKind;
import java.util.List;

/**
 * A group as the trainer receives it: the submitted rollouts, typed as they were submitted.
 *
 * @param depth         depth of the rolled-out instance
 * @param policyVersion the version that generated the rollouts
 * @param score         the learnability score the submit gave the parent
 */
public record ClaimedGroup(
        long groupId,
        long instanceId,
        int depth,
        StepKind stepKind,
        long policyVersion,
        double score,
        String prompt,
        long[] promptTokenIds,
        List<RolloutRecord> rollouts) {}
