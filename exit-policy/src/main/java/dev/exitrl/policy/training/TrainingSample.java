package dev.exitrl.policy.training;

/**
 * One sampled response of a GRPO group, as the rollout worker recorded it.
 *
 * @param promptIds prompt token ids (at least one)
 * @param responseIds response token ids (at least one)
 * @param behaviourLogProbs log-probs of the response tokens under the policy that sampled them (same length)
 * @param advantage group-normalised advantage shared by every token of the response
 * @param policyMask optional per-token mask (1 = produced by the policy, 0 = e.g. tool output); null = all 1
 */
public record TrainingSample(
        long[] promptIds, long[] responseIds, float[] behaviourLogProbs, double advantage, float[] policyMask) {

    public TrainingSample {
        if (promptIds == null || promptIds.length == 0) {
            throw new IllegalArgumentException("promptIds must hold at least one token");
        }
        if (responseIds == null || responseIds.length == 0) {
            throw new IllegalArgumentException("responseIds must hold at least one token");
        }
        if (behaviourLogProbs == null || behaviourLogProbs.length != responseIds.length) {
            throw new IllegalArgumentException(
                    "behaviourLogProbs must have one entry per response token (" + responseIds.length + ")");
        }
        if (policyMask != null && policyMask.length != responseIds.length) {
            throw new IllegalArgumentException(
                    "policyMask must have one entry per response token (" + responseIds.length + ")");
        }
        if (!Double.isFinite(advantage)) {
            throw new IllegalArgumentException("advantage must be finite, got " + advantage);
        }
    }

    public TrainingSample(long[] promptIds, long[] responseIds, float[] behaviourLogProbs, double advantage) {
        this(promptIds, responseIds, behaviourLogProbs, advantage, null);
    }

    /** Tokens that count in the loss. */
    double policyTokens() {
        if (policyMask == null) {
            return responseIds.length;
        }
        double n = 0;
        for (float m : policyMask) {
            n += m;
        }
        return n;
    }
}
