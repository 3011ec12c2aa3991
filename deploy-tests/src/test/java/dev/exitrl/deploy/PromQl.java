package dev.exitrl.deploy;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names a PromQL expression reads (enough of PromQL for our dashboards and alert rules). */
final class PromQl {
    private static final Set<String> WORDS = Set.of(
            // aggregations and their modifiers
            "sum",
            "min",
            "max",
            "avg",
            "count",
            "stddev",
            "stdvar",
            "topk",
            "bottomk",
            "quantile",
            "group",
            "count_values",
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "bool",
            "offset",
            // binary set operators
            "and",
            "or",
            "unless",
            // functions we use or may use
            "rate",
            "irate",
            "increase",
            "delta",
            "idelta",
            "deriv",
            "predict_linear",
            "histogram_quantile",
            "abs",
            "ceil",
            "floor",
            "round",
            "clamp_min",
            "clamp_max",
            "absent",
            "absent_over_time",
            "time",
            "vector",
            "scalar",
            "label_replace",
            "label_join",
            "sort",
            "sort_desc",
            "changes",
            "resets",
            "avg_over_time",
            "min_over_time",
            "max_over_time",
            "sum_over_time",
            "count_over_time",
            "last_over_time",
            "quantile_over_time",
            "timestamp",
            "ln",
            "log2",
            "log10",
            "exp",
            "sqrt",
            "label_values",
            "inf",
            "nan");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private PromQl() {}

    static Set<String> metricNames(String expression) {
        String e = expression
                .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"") // strings (label values, regexes)
                .replaceAll("\\{[^}]*}", "") // label matchers
                .replaceAll("\\[[^]]*]", "") // range selectors
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ") // label lists
                .replaceAll("\\$\\{?\\w+}?", " "); // Grafana variables ($__rate_interval, $experiment)
        var names = new LinkedHashSet<String>();
        Matcher m = IDENTIFIER.matcher(e);
        while (m.find()) {
            String word = m.group();
            boolean number = m.start() > 0 && Character.isDigit(e.charAt(m.start() - 1));
            if (!number && !WORDS.contains(word.toLowerCase())) {
                names.add(word);
            }
        }
        return names;
    }
}
