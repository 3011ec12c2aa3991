package dev.exitrl.core.domain.mle;

import dev.exitrl.core.domain.mle.PipelineSpec.Args;
import dev.exitrl.core.domain.mle.PipelineSpec.Step;
import dev.exitrl.core.domain.mle.Table.Column;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The feature transforms of the pipeline language. Each is fitted on the training split only and applied to both
 * splits, so nothing of the hidden split leaks into the fit.
 */
final class Transforms {
    static final int MAX_COLUMNS = 300;
    private static final String MISSING_LEVEL = "(missing)";

    /** A training table and a test table with the same columns. */
    record Split(Table train, Table test) {}

    private Transforms() {}

    static Split apply(Step step, Split data, double[] target, int classes, Budget budget) {
        budget.check();
        return switch (step.name()) {
            case "impute" -> {
                String strategy = new Args(step, Set.of("strategy"))
                        .choice("strategy", "median", Set.of("median", "mean", "zero"));
                yield impute(data, strategy);
            }
            case "onehot" -> onehot(data, new Args(step, Set.of("max_levels")).integer("max_levels", 20, 1, 100));
            case "ordinal" -> {
                new Args(step, Set.of());
                yield ordinal(data);
            }
            case "standardise", "standardize" -> {
                new Args(step, Set.of());
                yield standardise(data);
            }
            case "polynomial" -> {
                new Args(step, Set.of("degree")).integer("degree", 2, 2, 2);
                yield polynomial(data, budget);
            }
            case "select" -> select(data, target, classes, new Args(step, Set.of("k")).integer("k", 10, 1, 1000));
            default -> throw new IllegalStateException("no transform " + step.name());
        };
    }

    private static Split impute(Split data, String strategy) {
        List<Column> train = new ArrayList<>();
        List<Column> test = new ArrayList<>();
        for (int j = 0; j < data.train().columns().size(); j++) {
            Column a = data.train().columns().get(j);
            Column b = data.test().columns().get(j);
            if (a.isCategorical()) {
                train.add(Column.categorical(a.name(), fillLevel(a.categories())));
                test.add(Column.categorical(b.name(), fillLevel(b.categories())));
                continue;
            }
            double[] known = Arrays.stream(a.numbers())
                    .filter(v -> !Double.isNaN(v))
                    .sorted()
                    .toArray();
            double fill = switch (strategy) {
                case "zero" -> 0;
                case "mean" ->
                    known.length == 0 ? 0 : Arrays.stream(known).average().orElse(0);
                default -> known.length == 0 ? 0 : (known[(known.length - 1) / 2] + known[known.length / 2]) / 2;
            };
            train.add(Column.numeric(a.name(), fill(a.numbers(), fill)));
            test.add(Column.numeric(b.name(), fill(b.numbers(), fill)));
        }
        return new Split(
                new Table(train, data.train().rows()),
                new Table(test, data.test().rows()));
    }

    private static String[] fillLevel(String[] values) {
        String[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] == null) {
                out[i] = MISSING_LEVEL;
            }
        }
        return out;
    }

    private static double[] fill(double[] values, double fill) {
        double[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
            if (Double.isNaN(out[i])) {
                out[i] = fill;
            }
        }
        return out;
    }

    /** Levels of a training column, most frequent first (ties by name); missing values are no level. */
    private static List<String> levels(String[] values) {
        Map<String, Integer> counts = new HashMap<>();
        for (String v : values) {
            if (v != null) {
                counts.merge(v, 1, Integer::sum);
            }
        }
        List<String> levels = new ArrayList<>(counts.keySet());
        levels.sort(Comparator.comparing((String l) -> -counts.get(l)).thenComparing(l -> l));
        return levels;
    }

    private static Split onehot(Split data, int maxLevels) {
        List<Column> train = new ArrayList<>();
        List<Column> test = new ArrayList<>();
        for (int j = 0; j < data.train().columns().size(); j++) {
            Column a = data.train().columns().get(j);
            Column b = data.test().columns().get(j);
            if (!a.isCategorical()) {
                train.add(a);
                test.add(b);
                continue;
            }
            List<String> levels = levels(a.categories());
            for (String level : levels.subList(0, Math.min(maxLevels, levels.size()))) {
                train.add(Column.numeric(a.name() + "=" + level, indicator(a.categories(), level)));
                test.add(Column.numeric(b.name() + "=" + level, indicator(b.categories(), level)));
            }
        }
        return new Split(
                new Table(train, data.train().rows()),
                new Table(test, data.test().rows()));
    }

    private static double[] indicator(String[] values, String level) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = level.equals(values[i]) ? 1 : 0;
        }
        return out;
    }

    private static Split ordinal(Split data) {
        List<Column> train = new ArrayList<>();
        List<Column> test = new ArrayList<>();
        for (int j = 0; j < data.train().columns().size(); j++) {
            Column a = data.train().columns().get(j);
            Column b = data.test().columns().get(j);
            if (!a.isCategorical()) {
                train.add(a);
                test.add(b);
                continue;
            }
            List<String> levels = levels(a.categories());
            train.add(Column.numeric(a.name(), codes(a.categories(), levels)));
            test.add(Column.numeric(b.name(), codes(b.categories(), levels)));
        }
        return new Split(
                new Table(train, data.train().rows()),
                new Table(test, data.test().rows()));
    }

    /** Frequency rank of each value; unseen levels get the next code, missing values stay missing. */
    private static double[] codes(String[] values, List<String> levels) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] == null
                    ? Double.NaN
                    : levels.contains(values[i]) ? levels.indexOf(values[i]) : levels.size();
        }
        return out;
    }

    private static Split standardise(Split data) {
        List<Column> train = new ArrayList<>();
        List<Column> test = new ArrayList<>();
        for (int j = 0; j < data.train().columns().size(); j++) {
            Column a = data.train().columns().get(j);
            Column b = data.test().columns().get(j);
            if (a.isCategorical()) {
                train.add(a);
                test.add(b);
                continue;
            }
            double[] known =
                    Arrays.stream(a.numbers()).filter(v -> !Double.isNaN(v)).toArray();
            double mean = Arrays.stream(known).average().orElse(0);
            double var = Arrays.stream(known)
                    .map(v -> (v - mean) * (v - mean))
                    .average()
                    .orElse(0);
            double sd = var > 1e-24 ? Math.sqrt(var) : 1;
            train.add(Column.numeric(
                    a.name(),
                    Arrays.stream(a.numbers()).map(v -> (v - mean) / sd).toArray()));
            test.add(Column.numeric(
                    b.name(),
                    Arrays.stream(b.numbers()).map(v -> (v - mean) / sd).toArray()));
        }
        return new Split(
                new Table(train, data.train().rows()),
                new Table(test, data.test().rows()));
    }

    private static Split polynomial(Split data, Budget budget) {
        List<Integer> numeric = new ArrayList<>();
        for (int j = 0; j < data.train().columns().size(); j++) {
            if (!data.train().columns().get(j).isCategorical()) {
                numeric.add(j);
            }
        }
        int m = numeric.size();
        int total = data.train().columns().size() + m * (m + 1) / 2;
        if (total > MAX_COLUMNS) {
            throw new PipelineException(
                    PipelineException.Kind.DATA,
                    "polynomial would make " + total + " columns from " + m + " numeric ones (limit " + MAX_COLUMNS
                            + "); select fewer columns first");
        }
        budget.reserve(8.0 * total * (data.train().rows() + data.test().rows()), "polynomial");
        List<Column> train = new ArrayList<>(data.train().columns());
        List<Column> test = new ArrayList<>(data.test().columns());
        for (int x = 0; x < m; x++) {
            for (int y = x; y < m; y++) {
                Column a1 = data.train().columns().get(numeric.get(x));
                Column a2 = data.train().columns().get(numeric.get(y));
                Column b1 = data.test().columns().get(numeric.get(x));
                Column b2 = data.test().columns().get(numeric.get(y));
                String name = a1.name() + "*" + a2.name();
                train.add(Column.numeric(name, product(a1.numbers(), a2.numbers())));
                test.add(Column.numeric(name, product(b1.numbers(), b2.numbers())));
            }
        }
        return new Split(
                new Table(train, data.train().rows()),
                new Table(test, data.test().rows()));
    }

    private static double[] product(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] * b[i];
        }
        return out;
    }

    /**
     * Keeps the k numeric columns with the largest absolute correlation with the target (for classification, the
     * largest over classes of the correlation with the class indicator); rows with a missing value are left out of a
     * column's correlation.
     */
    private static Split select(Split data, double[] target, int classes, int k) {
        List<Column> cols = data.train().columns();
        for (Column c : cols) {
            if (c.isCategorical()) {
                throw new PipelineException(
                        PipelineException.Kind.DATA,
                        "select needs numeric columns, but '" + c.name() + "' is categorical: add onehot or ordinal"
                                + " before it");
            }
        }
        double[] score = new double[cols.size()];
        for (int j = 0; j < cols.size(); j++) {
            if (classes == 0) {
                score[j] = Math.abs(correlation(cols.get(j).numbers(), target));
            } else {
                for (int c = 0; c < classes; c++) {
                    double[] indicator = new double[target.length];
                    for (int i = 0; i < target.length; i++) {
                        indicator[i] = (int) target[i] == c ? 1 : 0;
                    }
                    score[j] =
                            Math.max(score[j], Math.abs(correlation(cols.get(j).numbers(), indicator)));
                }
            }
        }
        Integer[] order = new Integer[cols.size()];
        for (int j = 0; j < order.length; j++) {
            order[j] = j;
        }
        Arrays.sort(order, Comparator.comparing((Integer j) -> -score[j]).thenComparing(j -> j));
        List<Integer> keep = new ArrayList<>(Arrays.asList(order).subList(0, Math.min(k, order.length)));
        keep.sort(null);
        List<Column> train = new ArrayList<>();
        List<Column> test = new ArrayList<>();
        for (int j : keep) {
            train.add(cols.get(j));
            test.add(data.test().columns().get(j));
        }
        return new Split(
                new Table(train, data.train().rows()),
                new Table(test, data.test().rows()));
    }

    static double correlation(double[] x, double[] y) {
        double sx = 0;
        double sy = 0;
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (!Double.isNaN(x[i])) {
                sx += x[i];
                sy += y[i];
                n++;
            }
        }
        if (n < 2) {
            return 0;
        }
        double mx = sx / n;
        double my = sy / n;
        double cxy = 0;
        double cxx = 0;
        double cyy = 0;
        for (int i = 0; i < x.length; i++) {
            if (!Double.isNaN(x[i])) {
                cxy += (x[i] - mx) * (y[i] - my);
                cxx += (x[i] - mx) * (x[i] - mx);
                cyy += (y[i] - my) * (y[i] - my);
            }
        }
        return cxx <= 0 || cyy <= 0 ? 0 : cxy / Math.sqrt(cxx * cyy);
    }
}
