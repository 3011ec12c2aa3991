package dev.exitrl.rollout.engine;

import dev.exitrl.core.task.History;

/**
 * One verified rollout of a group.
 *
 * @param response the text the policy wrote
 * @param quality the domain verifier's quality in [0, 1]
 * @param reward exit-core's {@code Rewards.reward} of that quality
 * @param feedback the environment's feedback kept in the child's history (an error trace, a tool result); null for
 *     single-turn domains, whose verifier verdict must never reach a revision prompt
 * @param history the child's partial history: the slot's history answered with this response
 * @param tokenIds the token ids after the prompt (with a final EOS when the model stopped)
 * @param logProbs behaviour log-probability of each generated id, one per token id
 * @param diversity the diversity bonus multiplier d_i, or null when the experiment does not use it
 * @param correct whether the verifier says the response fully solves the task
 * @param policyMask which of {@code tokenIds} the policy generated (multi-turn); null when all of them
 * @param truncated whether the rollout ran out of budget before it finished
 */
public record RolloutResult(
        String response,
        double quality,
        double reward,
        String feedback,
        History history,
        long[] tokenIds,
        float[] logProbs,
        Double diversity,
        boolean correct,
        boolean[] policyMask,
        boolean truncated) {}
