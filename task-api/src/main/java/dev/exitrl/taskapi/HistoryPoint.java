package dev.exitrl.taskapi;

import dev.exitrl.core.task.StepKind;
import java.time.Instant;
import java.util.Map;

/**
 * What the groups generated under one policy version add up to. Every number comes from the stored groups (a group
 * belongs to the version its rollouts were generated with, so with {@code maxStaleness > 0} the groups of two
 * versions may interleave in time).
 *
 * @param policyVersion          the version
 * @param firstSubmitAt          when its first group was submitted
 * @param lastSubmitAt           when its last group (so far) was submitted
 * @param groups                 groups submitted
 * @param rollouts               rollouts in them
 * @param groupsTrained          of those groups, how many the trainer has consumed
 * @param groupsByStepKind       groups per step kind (kinds without groups left out)
 * @param meanRewardByStepKind   mean training reward over the version's rollouts, per step kind
 * @param meanQualityByStepKind  mean verifier quality over the version's rollouts, per step kind
 * @param depthHistogram         groups per depth of the instance they rolled out (the curriculum this version saw)
 * @param meanDepth              mean of that depth
 * @param tokensGenerated        response tokens of the version's rollouts (rollouts submitted without token ids
 *                               count 0)
 * @param tokensPerSecond        {@code tokensGenerated} over the seconds from the previous version's last submit (for
 *                               the first version: from its own first submit) to this version's last submit; null
 *                               when that span is empty
 * @param bufferSize             buffer size right after the version's last submit (from that submit's answer)
 */
public record HistoryPoint(
        long policyVersion,
        Instant firstSubmitAt,
        Instant lastSubmitAt,
        long groups,
        long rollouts,
        long groupsTrained,
        Map<StepKind, Long> groupsByStepKind,
        Map<StepKind, Double> meanRewardByStepKind,
        Map<StepKind, Double> meanQualityByStepKind,
        Map<Integer, Long> depthHistogram,
        double meanDepth,
        long tokensGenerated,
        Double tokensPerSecond,
        int bufferSize) {}
