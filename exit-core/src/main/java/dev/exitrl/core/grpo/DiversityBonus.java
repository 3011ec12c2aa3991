package dev.exitrl.core.grpo;

import java.util.Arrays;
import java.util.List;

/**
 * The diversity bonus of full ExIt: embed each response of a group ({@code e_i}), take the centroid
 * {@code e_bar} and multiply each advantage by
 * {@code d_i = ||e_i - e_bar|| / (max_j ||e_j - e_bar|| - min_j ||e_j - e_bar||)} (Euclidean norm).
 *
 * <p>As in the paper the numerator is the raw distance, so {@code d_i} may exceed 1 when the minimum
 * distance is above 0. Zero-range guard (our tolerance): when the range is at most {@code 1e-9} times the
 * largest distance (all distances equal, e.g. a single distinct embedding), every {@code d_i = 1}.
 */
public final class DiversityBonus {
    static final double RELATIVE_RANGE_TOLERANCE = 1e-9;

    private DiversityBonus() {}

    /** Multipliers {@code d_i}, {@code (G)}, for embeddings {@code (G, dim)}. */
    public static double[] multipliers(List<float[]> embeddings) {
        int g = embeddings.size();
        if (g == 0) {
            return new double[0];
        }
        int dim = embeddings.get(0).length;
        double[] centroid = new double[dim]; // (dim)
        for (float[] e : embeddings) {
            if (e.length != dim) {
                throw new IllegalArgumentException("embeddings differ in size: " + e.length + " vs " + dim);
            }
            for (int k = 0; k < dim; k++) {
                centroid[k] += e[k];
            }
        }
        for (int k = 0; k < dim; k++) {
            centroid[k] /= g;
        }

        double[] distance = new double[g]; // (G)
        double min = Double.POSITIVE_INFINITY, max = 0;
        for (int i = 0; i < g; i++) {
            double sq = 0;
            for (int k = 0; k < dim; k++) {
                double diff = embeddings.get(i)[k] - centroid[k];
                sq += diff * diff;
            }
            distance[i] = Math.sqrt(sq);
            min = Math.min(min, distance[i]);
            max = Math.max(max, distance[i]);
        }
        double range = max - min;
        double[] d = new double[g];
        if (range <= RELATIVE_RANGE_TOLERANCE * max) {
            Arrays.fill(d, 1.0);
            return d;
        }
        for (int i = 0; i < g; i++) {
            d[i] = distance[i] / range;
        }
        return d;
    }

    /** {@code A_i * d_i}, {@code (G)}. */
    public static double[] apply(double[] advantages, double[] multipliers) {
        if (advantages.length != multipliers.length) {
            throw new IllegalArgumentException("advantages (" + advantages.length + ") and multipliers ("
                    + multipliers.length + ") differ in size");
        }
        double[] out = new double[advantages.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = advantages[i] * multipliers[i];
        }
        return out;
    }
}
