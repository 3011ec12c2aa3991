package dev.exitrl.rollout.evaluation;

import dev.exitrl.core.task.StepKind;

/**
 * One evaluated response of the K-step self-improvement evaluation.
 *
 * @param taskIndex index of the base task in the list given to {@link EvaluationRunner#run}
 * @param sample 0-based sample (chain) index
 * @param step 0 = the first answer, k = the k-th revision
 * @param stepKind SOLVE at step 0, IMPROVE after
 * @param quality the verifier's quality
 * @param correct whether the verifier counts the response as right
 */
public record EvaluationRow(int taskIndex, int sample, int step, StepKind stepKind, double quality, boolean correct) {}
