package dev.exitrl.core.domain.mle;

import java.util.Arrays;
import java.util.Locale;

/**
 * Competition metrics on the hidden test split. Classification predictions are class probabilities
 * ({@code [rows][classes]}); regression predictions are values ({@code [rows][1]}). Multiclass AUC is the macro
 * average of one-vs-rest AUCs.
 */
enum Metric {
    AUC(true),
    ACCURACY(true),
    LOG_LOSS(false),
    RMSE(false);

    private static final double PROBABILITY_FLOOR = 1e-15;
    private final boolean higherIsBetter;

    Metric(boolean higherIsBetter) {
        this.higherIsBetter = higherIsBetter;
    }

    boolean higherIsBetter() {
        return higherIsBetter;
    }

    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Metric fromId(String id) {
        for (Metric m : values()) {
            if (m.id().equalsIgnoreCase(id)) {
                return m;
            }
        }
        throw new IllegalArgumentException("metric must be one of auc, accuracy, log_loss, rmse; was '" + id + "'");
    }

    double score(double[][] predictions, double[] truth, int classes) {
        return switch (this) {
            case AUC -> classes == 2 ? auc(predictions, truth, 1) : macroAuc(predictions, truth, classes);
            case ACCURACY -> accuracy(predictions, truth);
            case LOG_LOSS -> logLoss(predictions, truth);
            case RMSE -> rmse(predictions, truth);
        };
    }

    /**
     * {@code (r - worst) / (best - worst)} clipped to [0, 1], in the metric's direction. A degenerate range (best no
     * better than worst) gives 1 for a score at least as good as best, else 0.
     */
    double normalise(double r, double worst, double best) {
        if (!Double.isFinite(r)) {
            return 0;
        }
        double gain = higherIsBetter ? r - worst : worst - r;
        double range = higherIsBetter ? best - worst : worst - best;
        if (range <= 1e-12) {
            return (higherIsBetter ? r >= best : r <= best) ? 1 : 0;
        }
        return Math.max(0, Math.min(1, gain / range));
    }

    private static double accuracy(double[][] p, double[] truth) {
        int right = 0;
        for (int i = 0; i < truth.length; i++) {
            if (argmax(p[i]) == (int) truth[i]) {
                right++;
            }
        }
        return right / (double) truth.length;
    }

    static int argmax(double[] row) {
        int best = 0;
        for (int c = 1; c < row.length; c++) {
            if (row[c] > row[best]) {
                best = c;
            }
        }
        return best;
    }

    private static double logLoss(double[][] p, double[] truth) {
        double sum = 0;
        for (int i = 0; i < truth.length; i++) {
            sum -= Math.log(Math.max(PROBABILITY_FLOOR, p[i][(int) truth[i]]));
        }
        return sum / truth.length;
    }

    private static double rmse(double[][] p, double[] truth) {
        double sum = 0;
        for (int i = 0; i < truth.length; i++) {
            double d = p[i][0] - truth[i];
            sum += d * d;
        }
        return Math.sqrt(sum / truth.length);
    }

    private static double macroAuc(double[][] p, double[] truth, int classes) {
        double sum = 0;
        int counted = 0;
        for (int c = 0; c < classes; c++) {
            double a = auc(p, truth, c);
            if (!Double.isNaN(a)) {
                sum += a;
                counted++;
            }
        }
        return counted == 0 ? 0.5 : sum / counted;
    }

    /** One-vs-rest AUC of class {@code c} (Mann-Whitney with average ranks for ties); NaN if one side is empty. */
    static double auc(double[][] p, double[] truth, int c) {
        int n = truth.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(p[a][c], p[b][c]));
        double positiveRankSum = 0;
        long positives = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && p[order[j + 1]][c] == p[order[i]][c]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if ((int) truth[order[k]] == c) {
                    positiveRankSum += rank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (positiveRankSum - positives * (positives + 1) / 2.0) / (positives * (double) negatives);
    }
}
