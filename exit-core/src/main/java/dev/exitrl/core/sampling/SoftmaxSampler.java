package dev.exitrl.core.sampling;

import dev.exitrl.core.score.LearnabilityScore;
import java.util.List;

/**
 * The paper's buffer sampler: {@code P(i) = exp(kappa S_i) / sum_j exp(kappa S_j)}. kappa (inverse
 * temperature) is not given in the paper; the experiment default is 10. Computed stably by subtracting
 * {@code max_j S_j} before exponentiating. Staleness is ignored.
 */
public record SoftmaxSampler(double kappa) implements BufferSampler {
    public SoftmaxSampler {
        if (!(kappa > 0) || Double.isInfinite(kappa)) {
            throw new IllegalArgumentException("kappa must be > 0 and finite, was " + kappa);
        }
    }

    /**
     * The unnormalised weight of an item with learnability score {@code score}, {@code exp(kappa (S - S_max))}:
     * {@code P(i) = weight(S_i) / sum_j weight(S_j)} over any set of candidates. Shifted by the largest possible
     * score ({@link LearnabilityScore#MAX}) instead of the candidates' maximum, so a weight does not depend on the
     * other items and an index can keep running sums of them; it never exceeds 1.
     */
    public double weight(double score) {
        return Math.exp(kappa * (score - LearnabilityScore.MAX));
    }

    @Override
    public double[] probabilities(List<Candidate> candidates, long currentIteration) {
        int n = candidates.size();
        if (n == 0) {
            throw new IllegalArgumentException("no candidates");
        }
        double max = Double.NEGATIVE_INFINITY;
        for (Candidate c : candidates) {
            max = Math.max(max, c.score());
        }
        double[] p = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            p[i] = Math.exp(kappa * (candidates.get(i).score() - max)); // <= 1, the max maps to exactly 1
            sum += p[i];
        }
        for (int i = 0; i < n; i++) {
            p[i] /= sum;
        }
        return p;
    }
}
