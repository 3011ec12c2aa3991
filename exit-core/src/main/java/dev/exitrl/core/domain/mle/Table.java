package dev.exitrl.core.domain.mle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A tabular data set: named columns, each numeric ({@code NaN} = missing) or categorical ({@code null} = missing).
 * Immutable by convention: transforms build new tables.
 */
record Table(List<Column> columns, int rows) {
    /** One column: exactly one of {@code numbers} and {@code categories} is non-null. */
    record Column(String name, double[] numbers, String[] categories) {
        static Column numeric(String name, double[] values) {
            return new Column(name, values, null);
        }

        static Column categorical(String name, String[] values) {
            return new Column(name, null, values);
        }

        boolean isCategorical() {
            return categories != null;
        }

        boolean hasMissing() {
            if (isCategorical()) {
                return Arrays.stream(categories).anyMatch(v -> v == null);
            }
            return Arrays.stream(numbers).anyMatch(Double::isNaN);
        }

        String cell(int row) {
            if (isCategorical()) {
                return categories[row] == null ? "" : categories[row];
            }
            double v = numbers[row];
            if (Double.isNaN(v)) {
                return "";
            }
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.format("%.4g", v);
        }
    }

    Table {
        columns = List.copyOf(columns);
        for (Column c : columns) {
            int n = c.isCategorical() ? c.categories().length : c.numbers().length;
            if (n != rows) {
                throw new IllegalArgumentException("column " + c.name() + " has " + n + " rows, the table " + rows);
            }
        }
    }

    List<String> names() {
        List<String> names = new ArrayList<>();
        columns.forEach(c -> names.add(c.name()));
        return names;
    }

    /** The table as a row-major matrix; every column must be numeric. */
    double[][] matrix() {
        double[][] x = new double[rows][columns.size()];
        for (int j = 0; j < columns.size(); j++) {
            double[] col = columns.get(j).numbers();
            for (int i = 0; i < rows; i++) {
                x[i][j] = col[i];
            }
        }
        return x;
    }
}
