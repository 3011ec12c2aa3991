package dev.exitrl.rollout.engine;

import java.util.List;

/**
 * A lease's worth of groups plus what producing them cost.
 *
 * @param policyVersion the one policy version used for every group
 * @param groups one group per slot, in slot order
 * @param generatedTokens response tokens generated in total
 * @param generateNanos time in the policy's generate call(s)
 * @param verifyNanos time in the domain verifier
 * @param embedNanos time embedding responses for the diversity bonus (0 when off)
 */
public record BatchResult(
        long policyVersion,
        List<GroupResult> groups,
        long generatedTokens,
        long generateNanos,
        long verifyNanos,
        long embedNanos) {}
