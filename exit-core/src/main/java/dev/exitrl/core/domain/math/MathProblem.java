package dev.exitrl.core.domain.math;

import dev.exitrl.core.domain.Fraction;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A generated problem with its worked solution: each step reads {@code lhs = result}; the last step's result is
 * the answer. Keeping the steps structured lets demonstrations write a solution with a slip in its last step.
 */
record MathProblem(String family, String text, List<Step> steps, Fraction answer) {
    record Step(String lhs, Fraction result) {
        String render(Fraction shown) {
            return lhs + " = " + shown.toLatex();
        }
    }

    MathProblem {
        steps = List.copyOf(steps);
        if (steps.isEmpty() || !steps.get(steps.size() - 1).result().equals(answer)) {
            throw new IllegalArgumentException("the last step must give the answer");
        }
    }

    /** The worked solution, one {@code $lhs = result$} per line. */
    String solution() {
        return solutionEndingWith(answer);
    }

    /** The worked solution with the last step's result replaced by {@code last} (a slip when it differs). */
    String solutionEndingWith(Fraction last) {
        List<String> lines = steps.subList(0, steps.size() - 1).stream()
                .map(s -> "$" + s.render(s.result()) + "$")
                .collect(Collectors.toList());
        lines.add("$" + steps.get(steps.size() - 1).render(last) + "$");
        return String.join("\n", lines);
    }
}
