package dev.exitrl.core.sampling;

import java.util.List;

/**
 * PLR-style prioritisation (Jiang et al. 2021, "Prioritized Level Replay"), offered as an option; it is not
 * ExIt's default. {@code P = (1 - rho) P_score + rho P_staleness} with
 * <ul>
 *   <li>{@code P_score(i) = h_i^(1/beta) / sum_j h_j^(1/beta)}, {@code h_i = 1 / rank(S_i)}, rank 1 = highest
 *       score;</li>
 *   <li>{@code P_staleness(i) = (c - C_i) / sum_j (c - C_j)}, {@code c} = current iteration, {@code C_i} = the
 *       iteration at which item i was last sampled.</li>
 * </ul>
 *
 * <p>Deviations from PLR, so the task-service can reproduce it exactly in SQL: equal scores share the best
 * rank ("competition" ranking 1,2,2,4 = SQL {@code RANK() OVER (ORDER BY score DESC)}) instead of PLR's
 * arbitrary argsort tie-break; when every staleness is 0, {@code P_staleness} is uniform; staleness is
 * clamped at 0 if an item was sampled "in the future" of {@code c}.
 */
public record RankSampler(double temperature, double stalenessMix) implements BufferSampler {
    public RankSampler {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("rank temperature must be > 0 and finite, was " + temperature);
        }
        if (!(stalenessMix >= 0 && stalenessMix <= 1)) {
            throw new IllegalArgumentException("staleness mix must be in [0, 1], was " + stalenessMix);
        }
    }

    @Override
    public double[] probabilities(List<Candidate> candidates, long currentIteration) {
        int n = candidates.size();
        if (n == 0) {
            throw new IllegalArgumentException("no candidates");
        }
        double[] score = scoreProbabilities(candidates);
        double[] stale = stalenessProbabilities(candidates, currentIteration);
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = (1 - stalenessMix) * score[i] + stalenessMix * stale[i];
        }
        return p;
    }

    double[] scoreProbabilities(List<Candidate> candidates) {
        int n = candidates.size();
        double[] ascending =
                candidates.stream().mapToDouble(Candidate::score).sorted().toArray();
        double[] w = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int rank =
                    1 + (n - upperBound(ascending, candidates.get(i).score())); // 1 + number of strictly higher scores
            // h^(1/beta) = rank^(-1/beta); computed in log space so tiny temperatures do not overflow
            w[i] = Math.exp(-Math.log(rank) / temperature);
            sum += w[i];
        }
        for (int i = 0; i < n; i++) {
            w[i] /= sum; // rank 1 always has weight 1, so sum >= 1
        }
        return w;
    }

    /** Index of the first element of {@code ascending} that is greater than {@code value}. */
    private static int upperBound(double[] ascending, double value) {
        int lo = 0, hi = ascending.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ascending[mid] <= value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    static double[] stalenessProbabilities(List<Candidate> candidates, long currentIteration) {
        int n = candidates.size();
        double[] s = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            s[i] = Math.max(0, currentIteration - candidates.get(i).lastSampledIteration());
            sum += s[i];
        }
        for (int i = 0; i < n; i++) {
            s[i] = sum == 0 ? 1.0 / n : s[i] / sum;
        }
        return s;
    }
}
