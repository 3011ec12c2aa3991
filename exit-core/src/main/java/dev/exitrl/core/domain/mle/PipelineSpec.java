package dev.exitrl.core.domain.mle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A parsed pipeline: feature transforms in order, then one model. The language (shown to the model in every prompt,
 * {@link #LANGUAGE}) is one step per line, {@code name key=value ...}; blank lines and {@code #} comments are skipped.
 */
record PipelineSpec(List<Step> transforms, Step model) {
    /** One line: its number (from 1), its text, the step name and its {@code key=value} arguments in order. */
    record Step(int line, String text, String name, Map<String, String> args) {
        String where() {
            return "line " + line + ": " + text;
        }
    }

    static final Set<String> TRANSFORMS =
            Set.of("impute", "onehot", "ordinal", "standardise", "standardize", "polynomial", "select");
    static final Set<String> MODELS = Set.of("constant", "logistic", "linear", "cart", "forest", "gbt", "knn");

    static final String LANGUAGE = """
            Pipeline language: one step per line, applied in order, then exactly one model line.
              impute strategy=median|mean|zero   fill missing numbers (default median); missing categories become a category
              onehot max_levels=20               categorical columns -> 0/1 columns of their most frequent levels
              ordinal                            categorical columns -> frequency-rank codes
              standardise                        numeric columns -> (x - mean) / std of the training split
              polynomial degree=2                add squares and pairwise products of the numeric columns (max 300 columns)
              select k=10                        keep the k columns most correlated with the target
              model <family> key=value ...       one of:
                constant                                   predicts the training prior or mean (the baseline)
                logistic lr=0.1 epochs=300 l2=0.0001       softmax regression (classification)
                linear lr=0.1 epochs=300 l2=0.0001         least squares by gradient descent (regression)
                cart depth=6 min_leaf=5                    one decision tree
                forest trees=100 depth=10 min_leaf=2 max_features=sqrt   random forest (max_features: sqrt or a fraction)
                gbt trees=100 depth=3 rate=0.1 min_leaf=5 l2=1           gradient-boosted trees
                knn k=15                                   k nearest neighbours (Euclidean)
            Models need numeric columns without missing values: impute, and onehot or ordinal, first.
            """;

    PipelineSpec {
        transforms = List.copyOf(transforms);
    }

    /** @throws PipelineException of kind SYNTAX naming the line */
    static PipelineSpec parse(String text) {
        List<Step> transforms = new ArrayList<>();
        Step model = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String raw = lines[i];
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = "line " + (i + 1) + ": " + raw.strip();
            String[] tokens = line.split("\\s+");
            String name = tokens[0].toLowerCase(Locale.ROOT);
            int argsFrom = 1;
            if (name.equals("model")) {
                if (tokens.length < 2) {
                    throw syntax("a model line names a family: model <family> key=value ...", where);
                }
                name = tokens[1].toLowerCase(Locale.ROOT);
                argsFrom = 2;
                if (!MODELS.contains(name)) {
                    throw syntax("unknown model family '" + tokens[1] + "'; known: " + sorted(MODELS), where);
                }
                if (model != null) {
                    throw syntax("a pipeline has exactly one model line", where);
                }
            } else if (!TRANSFORMS.contains(name)) {
                throw syntax("unknown step '" + tokens[0] + "'; known: " + sorted(TRANSFORMS) + " and model", where);
            } else if (model != null) {
                throw syntax("transforms come before the model line", where);
            }
            Map<String, String> args = new LinkedHashMap<>();
            for (int t = argsFrom; t < tokens.length; t++) {
                int eq = tokens[t].indexOf('=');
                if (eq <= 0 || eq == tokens[t].length() - 1) {
                    throw syntax("arguments are written key=value, got '" + tokens[t] + "'", where);
                }
                String key = tokens[t].substring(0, eq).toLowerCase(Locale.ROOT);
                if (args.put(key, tokens[t].substring(eq + 1)) != null) {
                    throw syntax("argument '" + key + "' is given twice", where);
                }
            }
            Step step = new Step(i + 1, raw.strip(), name, args);
            if (tokens[0].equalsIgnoreCase("model")) {
                model = step;
            } else {
                transforms.add(step);
            }
        }
        if (model == null) {
            throw syntax("the pipeline has no model line (model <family> ...)", null);
        }
        return new PipelineSpec(transforms, model);
    }

    private static String sorted(Set<String> names) {
        return names.stream().sorted().toList().toString();
    }

    private static PipelineException syntax(String message, String where) {
        return new PipelineException(PipelineException.Kind.SYNTAX, message, where);
    }

    /** Reads the arguments of a step, checking names and ranges. */
    static final class Args {
        private final Step step;

        Args(Step step, Set<String> allowed) {
            this.step = step;
            for (String key : step.args().keySet()) {
                if (!allowed.contains(key)) {
                    throw invalid("'" + step.name() + "' has no argument '" + key + "'"
                            + (allowed.isEmpty()
                                    ? ""
                                    : "; allowed: " + allowed.stream().sorted().toList()));
                }
            }
        }

        int integer(String key, int fallback, int min, int max) {
            String v = step.args().get(key);
            if (v == null) {
                return fallback;
            }
            try {
                int n = Integer.parseInt(v);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw invalid(key + " must be an integer in [" + min + ", " + max + "], was '" + v + "'");
        }

        double number(String key, double fallback, double min, double max, boolean minExclusive) {
            String v = step.args().get(key);
            if (v == null) {
                return fallback;
            }
            try {
                double x = Double.parseDouble(v);
                if ((minExclusive ? x > min : x >= min) && x <= max) {
                    return x;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw invalid(key + " must be a number in " + (minExclusive ? "(" : "[") + min + ", " + max + "], was '" + v
                    + "'");
        }

        String choice(String key, String fallback, Set<String> options) {
            String v = step.args().get(key);
            if (v == null) {
                return fallback;
            }
            if (!options.contains(v.toLowerCase(Locale.ROOT))) {
                throw invalid(
                        key + " must be one of " + options.stream().sorted().toList() + ", was '" + v + "'");
            }
            return v.toLowerCase(Locale.ROOT);
        }

        String raw(String key) {
            return step.args().get(key);
        }

        PipelineException invalid(String message) {
            return new PipelineException(PipelineException.Kind.INVALID_HYPERPARAMETER, message, step.where());
        }
    }
}
