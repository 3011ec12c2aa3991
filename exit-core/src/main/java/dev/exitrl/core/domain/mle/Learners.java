package dev.exitrl.core.domain.mle;

import dev.exitrl.core.domain.mle.PipelineSpec.Args;
import dev.exitrl.core.domain.mle.PipelineSpec.Step;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The model families of the pipeline language, written here rather than taken from a library (see
 * {@link MleDomain} for why). Every fit is deterministic for a seed and checks the {@link Budget} in its loops.
 * Classification models predict class probabilities, regression models a value.
 */
final class Learners {
    /** A fitted model. */
    interface Model {
        double[][] predict(double[][] x, Budget budget);
    }

    private Learners() {}

    /**
     * @param y       class index (classification) or value (regression), per training row
     * @param classes number of classes, 0 for regression
     */
    static Model fit(Step step, double[][] x, double[] y, int classes, long seed, Budget budget) {
        boolean classification = classes > 0;
        int n = x.length;
        int d = n == 0 ? 0 : x[0].length;
        budget.reserve(8.0 * n * d * 3, "the feature matrix");
        budget.doing("fitting " + step.name());
        return switch (step.name()) {
            case "constant" -> {
                new Args(step, Set.of());
                yield constant(y, classes);
            }
            case "logistic" -> {
                if (!classification) {
                    throw wrongTask(
                            step, "logistic is for classification; this competition is regression (use linear)");
                }
                Args a = new Args(step, Set.of("lr", "epochs", "l2"));
                yield linearModel(
                        x,
                        y,
                        classes,
                        a.number("lr", 0.1, 0, 10, true),
                        a.integer("epochs", 300, 1, 5000),
                        a.number("l2", 1e-4, 0, 10, false),
                        budget);
            }
            case "linear" -> {
                if (classification) {
                    throw wrongTask(
                            step, "linear is for regression; this competition is classification (use logistic)");
                }
                Args a = new Args(step, Set.of("lr", "epochs", "l2"));
                yield linearModel(
                        x,
                        y,
                        0,
                        a.number("lr", 0.1, 0, 10, true),
                        a.integer("epochs", 300, 1, 5000),
                        a.number("l2", 1e-4, 0, 10, false),
                        budget);
            }
            case "cart" -> {
                Args a = new Args(step, Set.of("depth", "min_leaf"));
                Trees.Limits limits =
                        new Trees.Limits(a.integer("depth", 6, 1, 30), a.integer("min_leaf", 5, 1, 100_000), 0, 1);
                yield forest(x, y, classes, 1, false, limits, seed, budget);
            }
            case "forest" -> {
                Args a = new Args(step, Set.of("trees", "depth", "min_leaf", "max_features"));
                int trees = a.integer("trees", 100, 1, 500);
                double fraction = maxFeatures(a, d);
                Trees.Limits limits = new Trees.Limits(
                        a.integer("depth", 10, 1, 30), a.integer("min_leaf", 2, 1, 100_000), 0, fraction);
                yield forest(x, y, classes, trees, true, limits, seed, budget);
            }
            case "gbt" -> {
                Args a = new Args(step, Set.of("trees", "depth", "rate", "min_leaf", "l2"));
                int trees = a.integer("trees", 100, 1, 2000);
                double rate = a.number("rate", 0.1, 0, 1, true);
                Trees.Limits limits = new Trees.Limits(
                        a.integer("depth", 3, 1, 12),
                        a.integer("min_leaf", 5, 1, 100_000),
                        a.number("l2", 1, 0, 100, false),
                        1);
                yield boosting(x, y, classes, trees, rate, limits, budget);
            }
            case "knn" -> {
                int k = new Args(step, Set.of("k")).integer("k", 15, 1, 1000);
                yield knn(x, y, classes, Math.min(k, n));
            }
            default -> throw new IllegalStateException("no model " + step.name());
        };
    }

    private static PipelineException wrongTask(Step step, String message) {
        return new PipelineException(PipelineException.Kind.DATA, message, step.where());
    }

    private static double maxFeatures(Args a, int d) {
        String v = a.raw("max_features");
        if (v == null || v.equalsIgnoreCase("sqrt")) {
            return d == 0 ? 1 : Math.min(1, Math.sqrt(d) / d);
        }
        return a.number("max_features", 1, 0, 1, true);
    }

    private static Model constant(double[] y, int classes) {
        double[] value = classes > 0
                ? prior(y, classes)
                : new double[] {Arrays.stream(y).average().orElse(0)};
        return (x, budget) -> {
            double[][] out = new double[x.length][];
            Arrays.fill(out, value);
            return out;
        };
    }

    /** Class frequencies with add-one smoothing, so that no class gets probability 0. */
    static double[] prior(double[] y, int classes) {
        double[] p = new double[classes];
        Arrays.fill(p, 1);
        for (double v : y) {
            p[(int) v]++;
        }
        double total = y.length + classes;
        for (int c = 0; c < classes; c++) {
            p[c] /= total;
        }
        return p;
    }

    /** Softmax regression ({@code classes > 0}) or least squares, by full-batch gradient descent with L2. */
    private static Model linearModel(
            double[][] x, double[] y, int classes, double lr, int epochs, double l2, Budget budget) {
        int n = x.length;
        int d = x[0].length;
        int k = classes > 0 ? classes : 1;
        double[][] w = new double[k][d + 1]; // last column: bias
        if (classes == 0) {
            w[0][d] = Arrays.stream(y).average().orElse(0);
        }
        double[][] z = new double[n][k];
        for (int epoch = 0; epoch < epochs; epoch++) {
            budget.check();
            double[][] grad = new double[k][d + 1];
            for (int i = 0; i < n; i++) {
                linear(w, x[i], z[i]);
                if (classes > 0) {
                    softmax(z[i]);
                    for (int c = 0; c < k; c++) {
                        z[i][c] -= (int) y[i] == c ? 1 : 0;
                    }
                } else {
                    z[i][0] -= y[i];
                }
                for (int c = 0; c < k; c++) {
                    double e = z[i][c];
                    for (int j = 0; j < d; j++) {
                        grad[c][j] += e * x[i][j];
                    }
                    grad[c][d] += e;
                }
            }
            for (int c = 0; c < k; c++) {
                for (int j = 0; j <= d; j++) {
                    double reg = j < d ? l2 * w[c][j] : 0;
                    w[c][j] -= lr * (grad[c][j] / n + reg);
                    if (!Double.isFinite(w[c][j])) {
                        throw new PipelineException(
                                PipelineException.Kind.DIVERGED,
                                String.format(
                                        Locale.ROOT,
                                        "weights became non-finite in epoch %d of %d: standardise the features or"
                                                + " lower lr (%s)",
                                        epoch + 1,
                                        epochs,
                                        lr));
                    }
                }
            }
        }
        return (xs, budget2) -> {
            double[][] out = new double[xs.length][k];
            for (int i = 0; i < xs.length; i++) {
                linear(w, xs[i], out[i]);
                if (classes > 0) {
                    softmax(out[i]);
                }
            }
            return out;
        };
    }

    private static void linear(double[][] w, double[] x, double[] out) {
        int d = x.length;
        for (int c = 0; c < w.length; c++) {
            double s = w[c][d];
            for (int j = 0; j < d; j++) {
                s += w[c][j] * x[j];
            }
            out[c] = s;
        }
    }

    static void softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int c = 0; c < z.length; c++) {
            z[c] = Math.exp(z[c] - max);
            sum += z[c];
        }
        for (int c = 0; c < z.length; c++) {
            z[c] /= sum;
        }
    }

    /** Targets as rows: one-hot class vectors, or the value. */
    private static double[][] targets(double[] y, int classes) {
        int k = classes > 0 ? classes : 1;
        double[][] t = new double[y.length][k];
        for (int i = 0; i < y.length; i++) {
            if (classes > 0) {
                t[i][(int) y[i]] = 1;
            } else {
                t[i][0] = y[i];
            }
        }
        return t;
    }

    /** One CART tree ({@code bootstrap} false, one tree) or a random forest: the average of the trees. */
    private static Model forest(
            double[][] x,
            double[] y,
            int classes,
            int trees,
            boolean bootstrap,
            Trees.Limits limits,
            long seed,
            Budget budget) {
        int n = x.length;
        int k = classes > 0 ? classes : 1;
        budget.reserve(trees * Trees.bytesPerTree(limits.maxDepth(), n, k), trees + " trees");
        Trees.Binned binned = Trees.bin(x);
        double[][] t = targets(y, classes);
        double[][] g = new double[n][k];
        double[][] h = new double[n][k];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                g[i][c] = -t[i][c];
                h[i][c] = 1;
            }
        }
        SplittableRandom rng = new SplittableRandom(seed);
        List<Trees.Node> roots = new ArrayList<>();
        for (int tree = 0; tree < trees; tree++) {
            budget.doing("growing tree " + (tree + 1) + " of " + trees);
            int[] rows = new int[n];
            for (int i = 0; i < n; i++) {
                rows[i] = bootstrap ? rng.nextInt(n) : i;
            }
            roots.add(Trees.grow(binned, rows, g, h, limits, rng, budget));
        }
        return (xs, budget2) -> {
            double[][] out = new double[xs.length][k];
            for (int i = 0; i < xs.length; i++) {
                for (Trees.Node root : roots) {
                    double[] v = Trees.predict(root, xs[i]);
                    for (int c = 0; c < k; c++) {
                        out[i][c] += v[c] / roots.size();
                    }
                }
            }
            return out;
        };
    }

    /**
     * Gradient boosting with Newton steps: squared error (regression), logistic loss on one logit (binary), softmax
     * loss with one output per class (multiclass). Starts from the prior log-odds or the mean.
     */
    private static Model boosting(
            double[][] x, double[] y, int classes, int trees, double rate, Trees.Limits limits, Budget budget) {
        int n = x.length;
        int k = classes == 0 || classes == 2 ? 1 : classes;
        budget.reserve(trees * Trees.bytesPerTree(limits.maxDepth(), n, k), trees + " boosted trees");
        Trees.Binned binned = Trees.bin(x);
        double[] base = new double[k];
        if (classes == 0) {
            base[0] = Arrays.stream(y).average().orElse(0);
        } else {
            double[] p = prior(y, classes);
            if (classes == 2) {
                base[0] = Math.log(p[1] / p[0]);
            } else {
                for (int c = 0; c < k; c++) {
                    base[c] = Math.log(p[c]);
                }
            }
        }
        double[][] f = new double[n][];
        for (int i = 0; i < n; i++) {
            f[i] = base.clone();
        }
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        double[][] g = new double[n][k];
        double[][] h = new double[n][k];
        double[] p = new double[k];
        List<Trees.Node> roots = new ArrayList<>();
        SplittableRandom unused = new SplittableRandom(0); // featureFraction is 1: no draws
        for (int round = 0; round < trees; round++) {
            budget.doing("boosting round " + (round + 1) + " of " + trees);
            for (int i = 0; i < n; i++) {
                if (classes == 0) {
                    g[i][0] = f[i][0] - y[i];
                    h[i][0] = 1;
                } else if (classes == 2) {
                    double q = 1 / (1 + Math.exp(-f[i][0]));
                    g[i][0] = q - y[i];
                    h[i][0] = Math.max(q * (1 - q), 1e-6);
                } else {
                    System.arraycopy(f[i], 0, p, 0, k);
                    softmax(p);
                    for (int c = 0; c < k; c++) {
                        g[i][c] = p[c] - ((int) y[i] == c ? 1 : 0);
                        h[i][c] = Math.max(p[c] * (1 - p[c]), 1e-6);
                    }
                }
            }
            Trees.Node root = Trees.grow(binned, all, g, h, limits, unused, budget);
            roots.add(root);
            for (int i = 0; i < n; i++) {
                double[] v = Trees.predict(root, x[i]);
                for (int c = 0; c < k; c++) {
                    f[i][c] += rate * v[c];
                }
            }
        }
        return (xs, budget2) -> {
            double[][] out = new double[xs.length][];
            for (int i = 0; i < xs.length; i++) {
                double[] s = base.clone();
                for (Trees.Node root : roots) {
                    double[] v = Trees.predict(root, xs[i]);
                    for (int c = 0; c < k; c++) {
                        s[c] += rate * v[c];
                    }
                }
                if (classes == 0) {
                    out[i] = s;
                } else if (classes == 2) {
                    double q = 1 / (1 + Math.exp(-s[0]));
                    out[i] = new double[] {1 - q, q};
                } else {
                    softmax(s);
                    out[i] = s;
                }
            }
            return out;
        };
    }

    /** k nearest training rows by Euclidean distance (ties: lower row first); class proportions or the mean. */
    private static Model knn(double[][] x, double[] y, int classes, int k) {
        int outputs = classes > 0 ? classes : 1;
        return (xs, budget) -> {
            double[][] out = new double[xs.length][outputs];
            double[] nearDist = new double[k];
            int[] nearRow = new int[k];
            for (int i = 0; i < xs.length; i++) {
                budget.check();
                int found = 0;
                for (int r = 0; r < x.length; r++) {
                    double s = 0;
                    for (int j = 0; j < xs[i].length; j++) {
                        double diff = xs[i][j] - x[r][j];
                        s += diff * diff;
                    }
                    // insertion into the sorted k nearest so far; a later row never displaces an equal distance
                    if (found < k || s < nearDist[found - 1]) {
                        int pos = found < k ? found++ : found - 1;
                        while (pos > 0 && nearDist[pos - 1] > s) {
                            nearDist[pos] = nearDist[pos - 1];
                            nearRow[pos] = nearRow[pos - 1];
                            pos--;
                        }
                        nearDist[pos] = s;
                        nearRow[pos] = r;
                    }
                }
                for (int m = 0; m < found; m++) {
                    int r = nearRow[m];
                    if (classes > 0) {
                        out[i][(int) y[r]] += 1.0 / found;
                    } else {
                        out[i][0] += y[r] / found;
                    }
                }
            }
            return out;
        };
    }
}
