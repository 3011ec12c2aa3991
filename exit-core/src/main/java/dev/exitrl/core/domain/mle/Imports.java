package dev.exitrl.core.domain.mle;

import dev.exitrl.core.domain.TaskJson;
import dev.exitrl.core.domain.mle.Table.Column;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Imported competitions: validation of an import line and the competition its payload stands for. */
final class Imports {
    private Imports() {}

    /** The task payload for an import line. @throws IllegalArgumentException naming the problem */
    static ObjectNode validate(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a line must be a JSON object");
        }
        ObjectNode data = TaskJson.mapper().createObjectNode();
        data.put("source", "imported");
        for (String field : List.of("name", "task", "metric", "target", "train_csv", "test_csv")) {
            JsonNode v = node.get(field);
            if (v == null || !v.isString() || v.stringValue().isBlank()) {
                throw new IllegalArgumentException(field + " must be a non-blank string");
            }
            data.put(field, v.stringValue());
        }
        data.put("description", node.path("description").asString(""));
        String reference = node.path("reference").asString(MleDomain.DEFAULT_IMPORT_REFERENCE);
        try {
            PipelineSpec.parse(reference); // a syntax error here is the importer's, reported now
        } catch (PipelineException e) {
            throw new IllegalArgumentException("reference: " + MleDomain.trace(e), e);
        }
        data.put("reference", reference);
        return data;
    }

    static Competition competition(JsonNode d) {
        TaskType type = switch (d.path("task").asString("").toLowerCase(Locale.ROOT)) {
            case "binary" -> TaskType.BINARY;
            case "multiclass" -> TaskType.MULTICLASS;
            case "regression" -> TaskType.REGRESSION;
            default -> throw new IllegalArgumentException("task must be binary, multiclass or regression");
        };
        Metric metric = Metric.fromId(d.path("metric").asString(""));
        if (type.isClassification() == (metric == Metric.RMSE)) {
            throw new IllegalArgumentException(
                    "metric " + metric.id() + " does not fit a " + type.name().toLowerCase(Locale.ROOT) + " task");
        }
        String target = d.path("target").asString();
        Csv.Parsed train = Csv.parse(d.path("train_csv").asString());
        Csv.Parsed test = Csv.parse(d.path("test_csv").asString());
        if (!train.header().equals(test.header())) {
            throw new IllegalArgumentException("train_csv and test_csv must have the same header");
        }
        int t = train.header().indexOf(target);
        if (t < 0) {
            throw new IllegalArgumentException("target '" + target + "' is not a column of " + train.header());
        }
        List<String> labels = new ArrayList<>();
        if (type.isClassification()) {
            TreeSet<String> seen = new TreeSet<>();
            train.rows().forEach(r -> seen.add(r[t]));
            if (seen.contains("")) {
                throw new IllegalArgumentException("the target has missing values in train_csv");
            }
            labels.addAll(seen);
            for (String[] r : test.rows()) {
                if (!seen.contains(r[t])) {
                    throw new IllegalArgumentException("test label '" + r[t] + "' does not occur in train_csv");
                }
            }
            if (type == TaskType.BINARY && labels.size() != 2) {
                throw new IllegalArgumentException("a binary task needs exactly 2 labels, found " + labels);
            }
        }
        List<Column> trainCols = new ArrayList<>();
        List<Column> testCols = new ArrayList<>();
        for (int j = 0; j < train.header().size(); j++) {
            if (j == t) {
                continue;
            }
            boolean numeric = allNumeric(train, j) && allNumeric(test, j);
            trainCols.add(column(train, j, numeric));
            testCols.add(column(test, j, numeric));
        }
        String name = d.path("name").asString();
        return new Competition(
                name,
                d.path("description").asString(""),
                type,
                metric,
                labels,
                target,
                new Table(trainCols, train.rows().size()),
                targets(train, t, type, labels),
                new Table(testCols, test.rows().size()),
                targets(test, t, type, labels),
                d.path("reference").asString(MleDomain.DEFAULT_IMPORT_REFERENCE),
                name.hashCode());
    }

    private static boolean allNumeric(Csv.Parsed p, int j) {
        for (String[] r : p.rows()) {
            if (!r[j].isEmpty() && !Csv.isNumber(r[j])) {
                return false;
            }
        }
        return true;
    }

    private static Column column(Csv.Parsed p, int j, boolean numeric) {
        int n = p.rows().size();
        String name = p.header().get(j);
        if (numeric) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                String s = p.rows().get(i)[j];
                v[i] = s.isEmpty() ? Double.NaN : Double.parseDouble(s);
            }
            return Column.numeric(name, v);
        }
        String[] v = new String[n];
        for (int i = 0; i < n; i++) {
            String s = p.rows().get(i)[j];
            v[i] = s.isEmpty() ? null : s;
        }
        return Column.categorical(name, v);
    }

    private static double[] targets(Csv.Parsed p, int t, TaskType type, List<String> labels) {
        double[] y = new double[p.rows().size()];
        for (int i = 0; i < y.length; i++) {
            String s = p.rows().get(i)[t];
            if (type.isClassification()) {
                y[i] = labels.indexOf(s);
            } else if (Csv.isNumber(s)) {
                y[i] = Double.parseDouble(s);
            } else {
                throw new IllegalArgumentException(
                        "regression target '" + s + "' in row " + (i + 2) + " is not a number");
            }
        }
        return y;
    }
}
