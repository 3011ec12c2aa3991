package dev.exitrl.core.experiment;

import dev.exitrl.core.domain.EpisodeLimits;

/**
 * Per-domain trainer and rollout options from the paper (appendix A.3) that {@link ExperimentConfig} does not hold as
 * fields. The trainer and the rollout workers read them by domain id ({@link #of}).
 *
 * <ul>
 *   <li>{@code tool-use}: Dr. GRPO normalisation (Liu et al. 2025: advantages {@code r - mean(r)} without dividing by
 *       the group's std, and the token loss summed per sequence and divided by a constant, the maximum generation
 *       length, instead of the sequence's own length), overlong filtering (a rollout cut off at the generation limit
 *       gets no loss), training on the first user request only ({@code trainingLimits().userTurns() == 1}) with a
 *       budget of 10 steps, evaluation on every turn with up to 60 steps per turn (BFCL's checker cap is 20; the
 *       paper allows up to 60 at test). Non-assistant tokens (prompt, tool results, later user turns) are masked:
 *       {@link #maskNonAssistantTokens} is true for every domain.</li>
 *   <li>{@code mle}: plain GRPO normalisation, no overlong filtering, single-turn limits; evaluation is the
 *       paper's greedy search ({@code GreedySearch}: each step revises the best solution so far, as a {@code DEBUG}
 *       step when it failed to run, and the reported quality is the best so far).</li>
 *   <li>{@code math}, {@code countdown}, any other domain: plain GRPO normalisation, no overlong filtering,
 *       single-turn limits, and evaluation chains that revise their latest response (the paper's protocol).</li>
 * </ul>
 *
 * Epochs per batch (2 for tool use) and the reference update alpha (0.5 for MLE) are {@link ExperimentConfig} fields
 * and set by {@link DomainDefaults}.
 *
 * @param drGrpo                 Dr. GRPO normalisation instead of GRPO's std and per-length normalisation
 * @param overlongFiltering      drop the loss of rollouts truncated at the generation limit
 * @param maskNonAssistantTokens only model-generated tokens are policy tokens
 * @param trainingLimits         how much of a multi-turn task one training rollout plays
 * @param evaluationLimits       how much of a multi-turn task one evaluation rollout plays
 * @param greedySearchEvaluation evaluation keeps the best response so far and revises it (MLE's scaffold) instead
 *                               of revising the latest one
 */
public record DomainTrainingOptions(
        boolean drGrpo,
        boolean overlongFiltering,
        boolean maskNonAssistantTokens,
        EpisodeLimits trainingLimits,
        EpisodeLimits evaluationLimits,
        boolean greedySearchEvaluation) {
    /** The paper's training budget for tool use: the first request, 10 steps. */
    public static final EpisodeLimits TOOL_USE_TRAINING = new EpisodeLimits(1, 10);
    /** Tool-use evaluation: every turn, up to 60 steps per turn. */
    public static final EpisodeLimits TOOL_USE_EVALUATION = new EpisodeLimits(EpisodeLimits.ALL_TURNS, 60);

    private static final EpisodeLimits SINGLE_TURN = new EpisodeLimits(1, 1);

    public static DomainTrainingOptions of(String domain) {
        if ("tool-use".equals(domain)) {
            return new DomainTrainingOptions(true, true, true, TOOL_USE_TRAINING, TOOL_USE_EVALUATION, false);
        }
        return new DomainTrainingOptions(false, false, true, SINGLE_TURN, SINGLE_TURN, "mle".equals(domain));
    }
}
