package dev.exitrl.taskapi;

import dev.exitrl.core.task.History;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;

/**
 * One rollout of a group: what a worker submits, what the task space stores, and what the trainer claims (the same
 * record all the way).
 *
 * @param response  the text the policy wrote
 * @param quality   verifier quality in [0, 1]
 * @param reward    the training reward; the task space derives it from the quality, the parent's quality, the step
 *                  kind and the experiment's reward mode (exit-core {@code Rewards}) and refuses one that disagrees
 * @param feedback  feedback kept in the child's history (an error trace, a tool result), optional
 * @param history   the full partial history after this rollout, for multi-turn domains; default: the instance's
 *                  history with its current turn answered by {@code response}
 * @param tokenIds  response token ids, optional (the trainer re-tokenises when absent)
 * @param logProbs  behaviour log-probabilities of those tokens, optional (the off-policy ratio needs them)
 * @param diversity the diversity-bonus multiplier of this rollout in its group, for presets that use the bonus
 * @param policyMask which of {@code tokenIds} the policy generated (true) and which the environment added (false:
 *                  tool results, later user requests of a multi-turn episode), one entry per token id; only policy
 *                  tokens carry loss and behaviour log-probs (the others' log-probs are 0 and ignored); null = every
 *                  token is a policy token (single-turn rollouts, and workers that predate the field)
 * @param truncated whether the rollout ran out of its budget (the generation or context limit, or a multi-turn
 *                  episode's step cap) before it finished; trainers with overlong filtering give it no loss; null =
 *                  not known (treated as not truncated)
 */
public record RolloutRecord(
        @Schema(example = "Answer: 3 + 4 * 5") @NotNull String response,

        @Schema(example = "1.0") @NotNull @DecimalMin("0.0") @DecimalMax("1.0")
        Double quality,

        @Schema(example = "1.0") @NotNull Double reward,
        String feedback,
        History history,
        long[] tokenIds,
        float[] logProbs,
        Double diversity,
        boolean[] policyMask,
        Boolean truncated) {

    /** A rollout without a policy mask or truncation flag (every token a policy token), as before those fields. */
    public RolloutRecord(
            String response,
            Double quality,
            Double reward,
            String feedback,
            History history,
            long[] tokenIds,
            float[] logProbs,
            Double diversity) {
        this(response, quality, reward, feedback, history, tokenIds, logProbs, diversity, null, null);
    }

    /** Whether token {@code i} of {@link #tokenIds} is a policy token. */
    public boolean isPolicyToken(int i) {
        return policyMask == null || policyMask[i];
    }

    /** Whether the rollout is known to be truncated. */
    public boolean isTruncated() {
        return Boolean.TRUE.equals(truncated);
    }
}
