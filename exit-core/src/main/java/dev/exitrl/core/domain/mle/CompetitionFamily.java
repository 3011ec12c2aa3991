package dev.exitrl.core.domain.mle;

import dev.exitrl.core.domain.mle.Table.Column;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The procedurally generated competitions: ten families, each a recipe for a tabular data set (task, metric,
 * structure of the signal, noise, irrelevant and correlated columns, categorical columns, missing values, class
 * imbalance, column scales), instantiated with a seed and a difficulty. Seven families are for training, three are
 * held out for the test split, so evaluation is on competitions the policy never trained on.
 *
 * <p>Generation: {@code m} relevant numeric features drawn as a correlated chain ({@code x_j = 0.5 x_{j-1} +
 * sqrt(0.75) z}); a latent signal {@code f(x)} of the family's shape plus per-level effects of the categorical
 * columns; irrelevant columns (half pure noise, half noisy copies of relevant ones); each numeric column then gets a
 * random scale {@code 10^U(-1, 3)} and offset, and values go missing completely at random. Targets: regression
 * {@code f + noise}; binary {@code 1[f + logistic noise > its (1 - rate) quantile]}; multiclass the argmax of one
 * latent per class plus Gumbel noise. Difficulty d adds d-1 irrelevant columns, raises the missing rate by 25% a
 * level, and shrinks the training split from 900 rows (d = 1) to 380 (d = 5); the test split has 500 rows.
 *
 * <p>Reference pipelines (the top of each normalised scale) were chosen by hand per family: a sensible, fairly
 * tuned model for the structure (boosted trees for interactions and steps, a linear model on standardised or
 * polynomial features for smooth signals).
 */
enum CompetitionFamily {
    CREDIT_DEFAULT(
            "credit-default",
            "Predict whether a loan defaults from applicant features. Few applicants default.",
            TaskType.BINARY,
            Metric.AUC,
            Shape.INTERACTION,
            5,
            2,
            3,
            0.08,
            0.15,
            0.6,
            true,
            "impute strategy=median\nonehot\nmodel gbt trees=150 depth=3 rate=0.08 min_leaf=10"),
    SPAM_FILTER(
            "spam-filter",
            "Flag spam messages from message statistics; most columns carry no signal.",
            TaskType.BINARY,
            Metric.ACCURACY,
            Shape.LINEAR,
            5,
            0,
            14,
            0.0,
            0.4,
            0.5,
            true,
            "standardise\nselect k=8\nmodel logistic lr=0.5 epochs=300"),
    SPECIES(
            "species",
            "Identify the species of a plant from its measurements.",
            TaskType.MULTICLASS,
            Metric.ACCURACY,
            Shape.CENTERS,
            4,
            0,
            2,
            0.03,
            0,
            0.4,
            true,
            "impute strategy=median\nstandardise\nmodel logistic lr=0.5 epochs=400"),
    HOUSE_PRICES(
            "house-prices",
            "Predict the sale price of a house; the neighbourhood matters and some records are incomplete.",
            TaskType.REGRESSION,
            Metric.RMSE,
            Shape.SINE,
            5,
            2,
            3,
            0.06,
            0,
            0.3,
            true,
            "impute strategy=median\nonehot\nmodel gbt trees=200 depth=4 rate=0.08 min_leaf=8"),
    ENERGY_LOAD(
            "energy-load",
            "Predict the energy load of a building from weather and usage readings.",
            TaskType.REGRESSION,
            Metric.RMSE,
            Shape.QUADRATIC,
            4,
            0,
            3,
            0.0,
            0,
            0.3,
            true,
            "standardise\npolynomial degree=2\nstandardise\nmodel linear lr=0.05 epochs=800"),
    FRAUD(
            "fraud",
            "Detect fraudulent card transactions; fraud is rare and shows in combinations of features.",
            TaskType.BINARY,
            Metric.AUC,
            Shape.XOR,
            4,
            1,
            4,
            0.05,
            0.08,
            0.4,
            true,
            "impute strategy=median\nonehot\nmodel gbt trees=200 depth=3 rate=0.1 min_leaf=5"),
    RAINFALL(
            "rainfall",
            "Predict tomorrow's rainfall from station readings; rain follows thresholds.",
            TaskType.REGRESSION,
            Metric.RMSE,
            Shape.THRESHOLD,
            5,
            1,
            3,
            0.04,
            0,
            0.4,
            true,
            "impute strategy=median\nordinal\nmodel gbt trees=150 depth=3 rate=0.1 min_leaf=5"),
    CHURN(
            "churn",
            "Predict the probability that a customer cancels the subscription.",
            TaskType.BINARY,
            Metric.LOG_LOSS,
            Shape.INTERACTION,
            4,
            2,
            3,
            0.05,
            0.25,
            0.35,
            false,
            "impute strategy=median\nonehot\nmodel gbt trees=120 depth=3 rate=0.08 min_leaf=10"),
    LAND_COVER(
            "land-cover",
            "Classify the land cover of a map cell from satellite band readings.",
            TaskType.MULTICLASS,
            Metric.LOG_LOSS,
            Shape.CENTERS,
            4,
            1,
            3,
            0.04,
            0,
            0.5,
            false,
            "impute strategy=median\nonehot\nstandardise\nmodel gbt trees=120 depth=3 rate=0.1 min_leaf=8"),
    SENSOR_DRIFT(
            "sensor-drift",
            "Predict the true gas concentration from drifting, correlated sensor readings.",
            TaskType.REGRESSION,
            Metric.RMSE,
            Shape.LINEAR,
            6,
            0,
            6,
            0.05,
            0,
            0.5,
            false,
            "impute strategy=mean\nstandardise\nmodel linear lr=0.1 epochs=500");

    enum Shape {
        LINEAR,
        INTERACTION,
        XOR,
        QUADRATIC,
        SINE,
        THRESHOLD,
        CENTERS
    }

    static final int TEST_ROWS = 500;

    final String id;
    final String description;
    final TaskType type;
    final Metric metric;
    final Shape shape;
    final int relevant;
    final int categorical;
    final int irrelevant;
    final double missing;
    final double positiveRate;
    final double noise;
    final boolean training;
    final String reference;

    CompetitionFamily(
            String id,
            String description,
            TaskType type,
            Metric metric,
            Shape shape,
            int relevant,
            int categorical,
            int irrelevant,
            double missing,
            double positiveRate,
            double noise,
            boolean training,
            String reference) {
        this.id = id;
        this.description = description;
        this.type = type;
        this.metric = metric;
        this.shape = shape;
        this.relevant = relevant;
        this.categorical = categorical;
        this.irrelevant = irrelevant;
        this.missing = missing;
        this.positiveRate = positiveRate;
        this.noise = noise;
        this.training = training;
        this.reference = reference;
    }

    static CompetitionFamily fromId(String id) {
        for (CompetitionFamily f : values()) {
            if (f.id.equals(id)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown competition family '" + id + "'");
    }

    static List<CompetitionFamily> forSplit(boolean training) {
        return Arrays.stream(values()).filter(f -> f.training == training).toList();
    }

    static int trainRows(int difficulty) {
        return 900 - 130 * (difficulty - 1);
    }

    String competitionName(long seed) {
        return id + "-" + Long.toHexString(seed);
    }

    /** {@link Competition#header()} of {@code generate(seed, difficulty)}, without generating the data. */
    String header(long seed, int difficulty) {
        return Competition.header(
                competitionName(seed), description, type, metric, trainRows(difficulty), TEST_ROWS, "target");
    }

    /** The competition of this family for a seed and difficulty; equal arguments give equal data. */
    Competition generate(long seed, int difficulty) {
        SplittableRandom rng = new SplittableRandom(seed);
        int trainRows = trainRows(difficulty);
        int rows = trainRows + TEST_ROWS;
        int classes = type == TaskType.MULTICLASS ? 3 + rng.nextInt(2) : type == TaskType.BINARY ? 2 : 0;
        int outputs = Math.max(1, type == TaskType.MULTICLASS ? classes : 1);
        // relevant numeric features: a correlated chain
        double[][] x = new double[relevant][rows];
        for (int i = 0; i < rows; i++) {
            double previous = 0;
            for (int j = 0; j < relevant; j++) {
                double v = (j == 0 ? 0 : 0.5 * previous) + Math.sqrt(0.75) * rng.nextGaussian();
                x[j][i] = v;
                previous = v;
            }
        }
        // categorical columns and their per-level effects on each latent
        int[] levelCounts = new int[categorical];
        int[][] cats = new int[categorical][rows];
        double[][][] effects = new double[categorical][][];
        for (int c = 0; c < categorical; c++) {
            levelCounts[c] = 3 + rng.nextInt(6);
            effects[c] = new double[outputs][levelCounts[c]];
            for (int o = 0; o < outputs; o++) {
                for (int l = 0; l < levelCounts[c]; l++) {
                    effects[c][o][l] = rng.nextGaussian();
                }
            }
            for (int i = 0; i < rows; i++) {
                // skewed level frequencies: level l has weight 1/(l+1)
                double u = rng.nextDouble() * harmonic(levelCounts[c]);
                int l = 0;
                for (double acc = 1; acc < u && l < levelCounts[c] - 1; acc += 1.0 / (l + 2)) {
                    l++;
                }
                cats[c][i] = l;
            }
        }
        double[][] latent = new double[outputs][rows];
        for (int o = 0; o < outputs; o++) {
            Signal s = new Signal(shape, relevant, rng);
            for (int i = 0; i < rows; i++) {
                double[] xi = new double[relevant];
                for (int j = 0; j < relevant; j++) {
                    xi[j] = x[j][i];
                }
                double f = s.value(xi);
                for (int c = 0; c < categorical; c++) {
                    f += 0.7 * effects[c][o][cats[c][i]];
                }
                latent[o][i] = f;
            }
        }
        double[] target = targets(latent, classes, rng);
        // columns: relevant, irrelevant (noise or noisy copies), categorical; then shuffled
        int extra = irrelevant + difficulty - 1;
        List<double[]> numeric = new ArrayList<>(Arrays.asList(x));
        for (int e = 0; e < extra; e++) {
            double[] col = new double[rows];
            int source = e % 2 == 1 ? rng.nextInt(relevant) : -1;
            for (int i = 0; i < rows; i++) {
                col[i] = source >= 0 ? x[source][i] + 0.6 * rng.nextGaussian() : rng.nextGaussian();
            }
            numeric.add(col);
        }
        double missingRate = missing * (1 + 0.25 * (difficulty - 1));
        List<Object> columns = new ArrayList<>();
        for (double[] col : numeric) {
            double scale = Math.pow(10, -1 + 4 * rng.nextDouble());
            double offset = rng.nextInt(3) == 0 ? scale * 10 * rng.nextGaussian() : 0;
            for (int i = 0; i < rows; i++) {
                col[i] = round(col[i] * scale + offset);
                if (rng.nextDouble() < missingRate) {
                    col[i] = Double.NaN;
                }
            }
            columns.add(col);
        }
        String[] levelNames = {"north", "south", "east", "west", "city", "rural", "coast", "hills"};
        for (int c = 0; c < categorical; c++) {
            String[] col = new String[rows];
            int shift = rng.nextInt(levelNames.length);
            for (int i = 0; i < rows; i++) {
                col[i] = rng.nextDouble() < missingRate
                        ? null
                        : levelNames[(cats[c][i] + shift) % levelNames.length] + (c == 0 ? "" : "_" + c);
            }
            columns.add(col);
        }
        for (int i = columns.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            Object t = columns.get(i);
            columns.set(i, columns.get(j));
            columns.set(j, t);
        }
        List<Column> trainCols = new ArrayList<>();
        List<Column> testCols = new ArrayList<>();
        int num = 0;
        int cat = 0;
        for (Object col : columns) {
            if (col instanceof double[] d) {
                String name = "num_" + (++num);
                trainCols.add(Column.numeric(name, Arrays.copyOfRange(d, 0, trainRows)));
                testCols.add(Column.numeric(name, Arrays.copyOfRange(d, trainRows, rows)));
            } else {
                String[] s = (String[]) col;
                String name = "cat_" + (++cat);
                trainCols.add(Column.categorical(name, Arrays.copyOfRange(s, 0, trainRows)));
                testCols.add(Column.categorical(name, Arrays.copyOfRange(s, trainRows, rows)));
            }
        }
        double scale = type == TaskType.REGRESSION ? Math.pow(10, 1 + 3 * rng.nextDouble()) : 1;
        if (type == TaskType.REGRESSION) {
            for (int i = 0; i < rows; i++) {
                target[i] = round(target[i] * scale);
            }
        }
        List<String> labels = new ArrayList<>();
        if (type == TaskType.BINARY) {
            labels.addAll(List.of("no", "yes"));
        } else if (type == TaskType.MULTICLASS) {
            for (int c = 0; c < classes; c++) {
                labels.add("class_" + (char) ('a' + c));
            }
        }
        return new Competition(
                competitionName(seed),
                description,
                type,
                metric,
                labels,
                "target",
                new Table(trainCols, trainRows),
                Arrays.copyOfRange(target, 0, trainRows),
                new Table(testCols, TEST_ROWS),
                Arrays.copyOfRange(target, trainRows, rows),
                reference,
                seed);
    }

    private double[] targets(double[][] latent, int classes, SplittableRandom rng) {
        int rows = latent[0].length;
        double[] t = new double[rows];
        if (type == TaskType.REGRESSION) {
            for (int i = 0; i < rows; i++) {
                t[i] = latent[0][i] + noise * rng.nextGaussian();
            }
            return t;
        }
        if (type == TaskType.BINARY) {
            double[] s = new double[rows];
            for (int i = 0; i < rows; i++) {
                double u = Math.min(1 - 1e-12, Math.max(1e-12, rng.nextDouble()));
                s[i] = latent[0][i] + noise * Math.log(u / (1 - u));
            }
            double[] sorted = s.clone();
            Arrays.sort(sorted);
            double cut = sorted[(int) ((1 - positiveRate) * (rows - 1))];
            for (int i = 0; i < rows; i++) {
                t[i] = s[i] > cut ? 1 : 0;
            }
            return t;
        }
        for (int i = 0; i < rows; i++) {
            int best = 0;
            double bestValue = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                double u = Math.min(1 - 1e-12, Math.max(1e-12, rng.nextDouble()));
                double v = latent[c][i] - noise * Math.log(-Math.log(u));
                if (v > bestValue) {
                    bestValue = v;
                    best = c;
                }
            }
            t[i] = best;
        }
        return t;
    }

    private static double harmonic(int n) {
        double h = 0;
        for (int i = 1; i <= n; i++) {
            h += 1.0 / i;
        }
        return h;
    }

    /** Values as a CSV would hold them (4 significant digits), so the brief and an export agree. */
    private static double round(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return v;
        }
        double magnitude = Math.pow(10, 3 - Math.floor(Math.log10(Math.abs(v))));
        return Math.round(v * magnitude) / magnitude;
    }

    /** One latent function of the relevant features, with random coefficients. */
    private static final class Signal {
        private final Shape shape;
        private final double[] w;
        private final double[] v;
        private final double[] t;

        Signal(Shape shape, int m, SplittableRandom rng) {
            this.shape = shape;
            w = new double[m];
            v = new double[m];
            t = new double[m];
            for (int j = 0; j < m; j++) {
                w[j] = (rng.nextBoolean() ? 1 : -1) * (0.5 + rng.nextDouble());
                v[j] = (rng.nextBoolean() ? 1 : -1) * (0.3 + 0.7 * rng.nextDouble());
                t[j] = rng.nextGaussian() * 0.7;
            }
        }

        double value(double[] x) {
            double linear = 0;
            for (int j = 0; j < x.length; j++) {
                linear += w[j] * x[j];
            }
            return switch (shape) {
                case LINEAR -> linear;
                case INTERACTION -> 0.6 * linear + 1.5 * x[0] * x[1] - 1.0 * x[2] * x[3];
                case XOR -> 2.5 * x[0] * x[1] + 0.3 * linear;
                case QUADRATIC -> {
                    double q = 0;
                    for (int j = 0; j < x.length; j++) {
                        q += v[j] * x[j] * x[j];
                    }
                    yield linear + q + 0.8 * x[0] * x[1];
                }
                case SINE -> 0.5 * linear + 1.5 * Math.sin(2 * x[0]) + 0.7 * x[1] * x[1];
                case THRESHOLD -> {
                    double s = 0;
                    for (int j = 0; j < x.length; j++) {
                        s += (x[j] > t[j] ? 1.5 : 0) * Math.abs(w[j]) * (j % 2 == 0 ? 1 : -1);
                    }
                    yield s;
                }
                case CENTERS -> {
                    // distance to a random centre: v holds the centre
                    double d = 0;
                    for (int j = 0; j < x.length; j++) {
                        double diff = x[j] - 1.5 * v[j];
                        d += diff * diff;
                    }
                    yield -d;
                }
            };
        }
    }
}
