package dev.exitrl.taskapi;

import java.util.List;

/**
 * What a K-step self-improvement evaluation shows (exit-algorithm.md, "Evaluation protocol").
 *
 * @param evaluation     the evaluation itself
 * @param tasks          distinct base tasks with at least one result
 * @param rows           result rows
 * @param perStep        one entry per step that has results, ascending
 * @param deltaK         mean quality at step K minus mean quality at step 0; null until both steps have results
 * @param pairs          (task, sample) pairs with results at both step 0 and step K
 * @param wrongToRight   pairs wrong at step 0 and right at step K
 * @param rightToWrong   pairs right at step 0 and wrong at step K
 * @param netCorrections {@code wrongToRight - rightToWrong}
 */
public record EvaluationSummary(
        EvaluationView evaluation,
        long tasks,
        long rows,
        List<StepSummary> perStep,
        Double deltaK,
        long pairs,
        long wrongToRight,
        long rightToWrong,
        long netCorrections) {

    /**
     * @param step        k
     * @param n           result rows at step k (tasks x samples answered so far)
     * @param meanQuality avg@n: mean quality over every task and sample at step k
     * @param accuracy    share of those rows that are correct
     */
    public record StepSummary(int step, long n, double meanQuality, double accuracy) {}
}
