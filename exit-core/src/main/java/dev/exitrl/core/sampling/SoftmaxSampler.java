package dev.exitrl.core.sampling;

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
