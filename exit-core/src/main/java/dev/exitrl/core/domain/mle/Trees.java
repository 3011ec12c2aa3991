package dev.exitrl.core.domain.mle;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Histogram decision trees shared by CART, random forests and gradient boosting. Features are cut into at most
 * {@value #MAX_BINS} bins at training-split quantiles (as LightGBM and XGBoost's hist method do), so a split search
 * is one pass over a node's rows per feature.
 *
 * <p>Every tree is a multi-output regression tree on per-row gradients {@code g} and hessians {@code h}: a split
 * maximises {@code sum_c GL_c^2/(HL_c+l2) + GR_c^2/(HR_c+l2)} and a leaf predicts {@code -G_c/(H_c+l2)}. With
 * {@code g = -y} (a one-hot class vector or a value), {@code h = 1} and {@code l2 = 0} this is exactly CART: the gain
 * is the reduction of the squared error, which for one-hot targets is the Gini impurity, and a leaf predicts the
 * mean (class proportions). With the gradients of a loss it is a Newton boosting step.
 */
final class Trees {
    static final int MAX_BINS = 32;

    /** Training features cut into bins, column-major ({@code bins[feature][row]}), and each feature's cut points. */
    record Binned(int[][] bins, double[][] cuts) {}

    /** Growth limits of one tree. */
    record Limits(int maxDepth, int minLeaf, double l2, double featureFraction) {}

    static final class Node {
        int feature = -1;
        double threshold;
        Node left;
        Node right;
        double[] value;
    }

    private Trees() {}

    static Binned bin(double[][] x) {
        int n = x.length;
        int d = n == 0 ? 0 : x[0].length;
        double[][] cuts = new double[d][];
        int[][] bins = new int[d][n];
        double[] column = new double[n];
        for (int f = 0; f < d; f++) {
            for (int i = 0; i < n; i++) {
                column[i] = x[i][f];
            }
            double[] sorted = column.clone();
            Arrays.sort(sorted);
            double[] distinct = Arrays.stream(sorted).distinct().toArray();
            double[] c;
            if (distinct.length <= MAX_BINS) {
                c = new double[Math.max(0, distinct.length - 1)];
                for (int t = 0; t < c.length; t++) {
                    c[t] = (distinct[t] + distinct[t + 1]) / 2;
                }
            } else {
                double[] q = new double[MAX_BINS - 1];
                for (int t = 1; t < MAX_BINS; t++) {
                    q[t - 1] = sorted[(int) ((long) t * n / MAX_BINS)];
                }
                c = Arrays.stream(q).distinct().toArray();
            }
            cuts[f] = c;
            for (int i = 0; i < n; i++) {
                bins[f][i] = binOf(c, column[i]);
            }
        }
        return new Binned(bins, cuts);
    }

    /** The first cut {@code t} with {@code v <= cuts[t]}, or {@code cuts.length}. */
    private static int binOf(double[] cuts, double v) {
        int lo = 0;
        int hi = cuts.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (v <= cuts[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    static Node grow(
            Binned data, int[] rows, double[][] g, double[][] h, Limits limits, SplittableRandom rng, Budget budget) {
        return new Grower(data, g, h, limits, rng, budget).grow(rows, 0);
    }

    /** One tree's growth, with histogram buffers allocated once and reused by every node. */
    private static final class Grower {
        private final Binned data;
        private final double[][] g;
        private final double[][] h;
        private final Limits limits;
        private final SplittableRandom rng;
        private final Budget budget;
        private final int k;
        private final double[] gb;
        private final double[] hb;
        private final int[] count;
        private final double[] gl;
        private final double[] hl;
        private final double[] gr;
        private final double[] hr;

        Grower(Binned data, double[][] g, double[][] h, Limits limits, SplittableRandom rng, Budget budget) {
            this.data = data;
            this.g = g;
            this.h = h;
            this.limits = limits;
            this.rng = rng;
            this.budget = budget;
            this.k = g[0].length;
            gb = new double[MAX_BINS * k];
            hb = new double[MAX_BINS * k];
            count = new int[MAX_BINS];
            gl = new double[k];
            hl = new double[k];
            gr = new double[k];
            hr = new double[k];
        }

        Node grow(int[] rows, int depth) {
            budget.check();
            double[] gs = new double[k];
            double[] hs = new double[k];
            for (int r : rows) {
                for (int c = 0; c < k; c++) {
                    gs[c] += g[r][c];
                    hs[c] += h[r][c];
                }
            }
            Node node = new Node();
            node.value = new double[k];
            for (int c = 0; c < k; c++) {
                node.value[c] = hs[c] + limits.l2() > 0 ? -gs[c] / (hs[c] + limits.l2()) : 0;
            }
            if (depth >= limits.maxDepth() || rows.length < 2 * limits.minLeaf()) {
                return node;
            }
            double parent = score(gs, hs, limits.l2());
            double bestGain = 1e-9;
            int bestFeature = -1;
            int bestBin = -1;
            int d = data.cuts().length;
            for (int f = 0; f < d; f++) {
                if (limits.featureFraction() < 1 && rng.nextDouble() >= limits.featureFraction()) {
                    continue;
                }
                int nb = data.cuts()[f].length + 1;
                if (nb < 2) {
                    continue;
                }
                Arrays.fill(gb, 0, nb * k, 0);
                Arrays.fill(hb, 0, nb * k, 0);
                Arrays.fill(count, 0, nb, 0);
                int[] bins = data.bins()[f];
                for (int r : rows) {
                    int b = bins[r];
                    count[b]++;
                    for (int c = 0; c < k; c++) {
                        gb[b * k + c] += g[r][c];
                        hb[b * k + c] += h[r][c];
                    }
                }
                Arrays.fill(gl, 0);
                Arrays.fill(hl, 0);
                int left = 0;
                for (int b = 0; b < nb - 1; b++) {
                    left += count[b];
                    for (int c = 0; c < k; c++) {
                        gl[c] += gb[b * k + c];
                        hl[c] += hb[b * k + c];
                    }
                    if (left < limits.minLeaf()) {
                        continue;
                    }
                    if (rows.length - left < limits.minLeaf()) {
                        break;
                    }
                    for (int c = 0; c < k; c++) {
                        gr[c] = gs[c] - gl[c];
                        hr[c] = hs[c] - hl[c];
                    }
                    double gain = score(gl, hl, limits.l2()) + score(gr, hr, limits.l2()) - parent;
                    if (gain > bestGain) {
                        bestGain = gain;
                        bestFeature = f;
                        bestBin = b;
                    }
                }
            }
            if (bestFeature < 0) {
                return node;
            }
            int[] bins = data.bins()[bestFeature];
            int leftCount = 0;
            for (int r : rows) {
                if (bins[r] <= bestBin) {
                    leftCount++;
                }
            }
            int[] leftRows = new int[leftCount];
            int[] rightRows = new int[rows.length - leftCount];
            int li = 0;
            int ri = 0;
            for (int r : rows) {
                if (bins[r] <= bestBin) {
                    leftRows[li++] = r;
                } else {
                    rightRows[ri++] = r;
                }
            }
            node.feature = bestFeature;
            node.threshold = data.cuts()[bestFeature][bestBin];
            node.left = grow(leftRows, depth + 1);
            node.right = grow(rightRows, depth + 1);
            return node;
        }
    }

    private static double score(double[] g, double[] h, double l2) {
        double s = 0;
        for (int c = 0; c < g.length; c++) {
            double denominator = h[c] + l2;
            if (denominator > 0) {
                s += g[c] * g[c] / denominator;
            }
        }
        return s;
    }

    static double[] predict(Node node, double[] x) {
        Node n = node;
        while (n.feature >= 0) {
            n = x[n.feature] <= n.threshold ? n.left : n.right;
        }
        return n.value;
    }

    /** An upper bound on the bytes a tree of this depth over {@code rows} rows with {@code k} outputs can take. */
    static double bytesPerTree(int maxDepth, int rows, int k) {
        double leaves = Math.min(Math.pow(2, Math.min(maxDepth, 30)), rows);
        return 2 * leaves * (48 + 8.0 * k);
    }
}
