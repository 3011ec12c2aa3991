package dev.exitrl.core.domain.mle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A tabular competition: a training split with its target, a test split whose target is hidden from the model, a
 * metric, and the reference pipeline whose score defines the top of the normalised scale.
 *
 * @param labels class labels by index (classification), empty for regression
 * @param seed   seed of every random choice a pipeline run makes on this competition (forest bootstraps)
 */
record Competition(
        String name,
        String description,
        TaskType type,
        Metric metric,
        List<String> labels,
        String targetName,
        Table train,
        double[] trainTarget,
        Table test,
        double[] testTarget,
        String reference,
        long seed) {
    Competition {
        labels = List.copyOf(labels);
        if (trainTarget.length != train.rows() || testTarget.length != test.rows()) {
            throw new IllegalArgumentException("target lengths do not match the splits");
        }
        if (type.isClassification() == (metric == Metric.RMSE)) {
            throw new IllegalArgumentException("metric " + metric.id() + " does not fit a " + type + " competition");
        }
        if (type.isClassification() && labels.size() < 2) {
            throw new IllegalArgumentException("a classification competition needs at least two classes");
        }
    }

    int classes() {
        return type.isClassification() ? labels.size() : 0;
    }

    /** The brief shown to the model: {@link #header} then {@link #dataSummary}. */
    String brief() {
        return header() + dataSummary();
    }

    /** Task, metric, description and split sizes: what the competition is, without looking at its data. */
    String header() {
        return header(name, description, type, metric, train.rows(), test.rows(), targetName);
    }

    static String header(
            String name,
            String description,
            TaskType type,
            Metric metric,
            int trainRows,
            int testRows,
            String targetName) {
        String kind = switch (type) {
            case BINARY -> "binary classification";
            case MULTICLASS -> "multiclass classification";
            case REGRESSION -> "regression";
        };
        return "Competition: " + name + " (" + kind + "; metric: " + metric.id() + ", "
                + (metric.higherIsBetter() ? "higher" : "lower") + " is better)\n" + description.strip()
                + "\nTraining split: " + trainRows + " rows; hidden test split: " + testRows + " rows. Target column: "
                + targetName + ".\n";
    }

    /** Columns with their types and missing rates, the class balance, and the first training rows. */
    String dataSummary() {
        StringBuilder b = new StringBuilder("Columns:\n");
        for (Table.Column c : train.columns()) {
            int missing = 0;
            for (int i = 0; i < train.rows(); i++) {
                if (c.isCategorical() ? c.categories()[i] == null : Double.isNaN(c.numbers()[i])) {
                    missing++;
                }
            }
            b.append("  ").append(c.name()).append(": ");
            if (c.isCategorical()) {
                long levels = Arrays.stream(c.categories())
                        .filter(v -> v != null)
                        .distinct()
                        .count();
                b.append("categorical, ").append(levels).append(" levels");
            } else {
                b.append("numeric");
            }
            b.append(String.format(Locale.ROOT, ", %.0f%% missing\n", 100.0 * missing / train.rows()));
        }
        if (type.isClassification()) {
            b.append("Class balance in training:");
            for (int c = 0; c < labels.size(); c++) {
                int count = 0;
                for (double v : trainTarget) {
                    if ((int) v == c) {
                        count++;
                    }
                }
                b.append(String.format(Locale.ROOT, " %s %.0f%%", labels.get(c), 100.0 * count / train.rows()));
            }
            b.append('\n');
        }
        b.append("First rows of the training split:\n");
        List<String> header = new ArrayList<>(train.names());
        header.add(targetName);
        b.append(String.join(",", header)).append('\n');
        for (int i = 0; i < Math.min(5, train.rows()); i++) {
            List<String> cells = new ArrayList<>();
            for (Table.Column c : train.columns()) {
                cells.add(c.cell(i));
            }
            cells.add(
                    type.isClassification()
                            ? labels.get((int) trainTarget[i])
                            : Table.Column.numeric("", new double[] {trainTarget[i]})
                                    .cell(0));
            b.append(String.join(",", cells)).append('\n');
        }
        return b.toString();
    }
}
