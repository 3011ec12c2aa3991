package dev.exitrl.taskapi;

import dev.exitrl.core.task.StepKind;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One experiment's progress at a glance ({@code GET /api/experiments/{id}/progress}).
 *
 * @param experimentId           the experiment
 * @param name                   its label
 * @param status                 its lifecycle status
 * @param iteration              training batches the trainer acknowledged so far
 * @param policyVersion          the newest policy version the trainer announced
 * @param tokensGenerated        response tokens of every submitted rollout (its {@code tokenIds}, counted at submit;
 *                               a rollout submitted without token ids counts 0)
 * @param tokensTrained          tokens the trainer reported trained when it acknowledged its batches
 * @param meanRewardByStepKind   mean rollout reward per step kind over the most recent submitted groups
 *                               ({@value #RECENT_GROUPS} at most); kinds without groups are left out
 * @param meanQualityByStepKind  mean verifier quality per step kind over the same groups
 * @param bufferSize             instances in the buffer
 * @param depthHistogram         buffered instances per depth (depths without instances left out)
 * @param queueDepth             submitted groups waiting for the trainer (state READY)
 * @param rolloutTokensPerSecond generated tokens per second over the last {@value #RATE_WINDOW_SECONDS} seconds (or
 *                               since the first submit, if later); 0 when nothing was submitted in that window
 * @param trainTokensPerSecond   tokens the trainer trained per second of its own training time, over its most
 *                               recent acknowledged batches ({@value #RECENT_ACKS} at most); 0 before any was reported
 * @param latestEvaluation       the newest K-step evaluation; null when none was opened
 * @param budget                 the configured budget; null when the experiment has none
 * @param fractionDone           share of the budget used, in [0, 1] (the larger of the iteration and token shares);
 *                               null without a budget
 * @param etaSeconds             seconds until the budget is reached at the recent rate of acknowledged batches; null
 *                               without a budget, once the experiment is no longer running, or before a rate is known
 */
public record ExperimentProgress(
        UUID experimentId,
        @Schema(example = "countdown-exit") String name,
        ExperimentStatus status,
        @Schema(example = "42") long iteration,
        @Schema(example = "42") long policyVersion,
        @Schema(example = "1843200") long tokensGenerated,
        @Schema(example = "1720320") long tokensTrained,
        Map<StepKind, Double> meanRewardByStepKind,
        Map<StepKind, Double> meanQualityByStepKind,
        @Schema(example = "512") long bufferSize,
        Map<Integer, Long> depthHistogram,
        @Schema(example = "6") long queueDepth,
        @Schema(example = "1530.5") double rolloutTokensPerSecond,
        @Schema(example = "4210.0") double trainTokensPerSecond,
        LatestEvaluation latestEvaluation,
        Budget budget,
        @Schema(example = "0.21") Double fractionDone,
        @Schema(example = "5400") Long etaSeconds) {

    /** Submitted groups the reward and quality means cover. */
    public static final int RECENT_GROUPS = 256;

    /** The window of the rollout token rate. */
    public static final int RATE_WINDOW_SECONDS = 60;

    /** Acknowledged batches the train token rate and the ETA are measured over. */
    public static final int RECENT_ACKS = 20;

    /**
     * The newest evaluation of the experiment.
     *
     * @param meanQualityByStep mean quality at step 0, 1, ... K (steps with results so far)
     * @param deltaK            mean quality at step K minus step 0; null until both have results
     */
    public record LatestEvaluation(
            UUID evaluationId,
            long policyVersion,
            EvaluationStatus status,
            List<Double> meanQualityByStep,
            Double deltaK) {}

    /**
     * The experiment's budget ({@code config.maxIterations}, {@code config.maxTokens}); reaching either completes it.
     */
    public record Budget(Integer maxIterations, Long maxTokens) {}
}
