package dev.exitrl.core.domain.math;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Answer-checker throughput (run with {@code ./mvnw -B -Pbench -pl exit-core verify}); prints a table. Typical
 * responses: a ~1,500-character worked solution with inline math ending in {@code \boxed{..}}, one per row of the
 * answer table (every category), checked against the reference. The old {@link MathAnswers} checker runs on the same
 * inputs in the same JVM as the baseline. Then the worst case over the hostile inputs of
 * {@link MathCheckerRobustnessTest}. Set {@code -Dbench.seconds=3} (default) per measurement.
 */
@Tag("bench")
class MathCheckerBenchmark {
    record Case(String response, String reference, boolean expected) {}

    private static final String REASONING = "We first set up the problem. Let $a$ be the unknown; the conditions give "
            + "$a + 2b = 7$ and $3a - b = 5$, so $7a = 17$ after eliminating $b$. Checking with $a = \\frac{17}{7}$ "
            + "gives $b = \\frac{16}{7}$, which satisfies both equations. Next we consider the second part: the "
            + "expression $\\left(\\frac{x^2 - 1}{x - 1}\\right)$ simplifies to $x + 1$ for $x \\neq 1$, and the area "
            + "of the region is $\\int_0^1 (x + 1)\\,dx = \\frac{3}{2}$. ";

    @Test
    void checksPerSecondOnTypicalResponses() throws IOException {
        double seconds = Double.parseDouble(System.getProperty("bench.seconds", "3"));
        List<Case> cases = new ArrayList<>();
        for (Arguments row : MathCheckerTest.answers()) {
            Object[] a = row.get();
            String response = REASONING.repeat(4) + "Therefore the final answer is $\\boxed{" + a[2] + "}$.";
            cases.add(new Case(response, (String) a[1], (Boolean) a[3]));
        }
        // the inputs are what they claim: the new checker gets every one right
        for (Case c : cases) {
            assertThat(MathChecker.check(c.response(), c.reference()))
                    .as(c.reference())
                    .isEqualTo(c.expected());
        }
        long oldCorrect = cases.stream()
                .filter(c -> MathAnswers.equivalent(MathAnswers.extract(c.response()), c.reference()) == c.expected())
                .count();

        double baseline = throughput(cases, (r, ref) -> MathAnswers.equivalent(MathAnswers.extract(r), ref), seconds);
        double checker = throughput(cases, MathChecker::check, seconds);
        double extractOnly = throughput(cases, (r, ref) -> MathChecker.extract(r) != null, seconds);

        long worstMillis = 0;
        for (String hostile : MathCheckerRobustnessTest.hostileAnswers()) {
            long start = System.nanoTime();
            MathChecker.equivalent(hostile, "1");
            worstMillis = Math.max(worstMillis, (System.nanoTime() - start) / 1_000_000);
        }
        String longResponse = REASONING.repeat(100_000 / REASONING.length()) + "\\boxed{7}";
        long start = System.nanoTime();
        MathChecker.check(longResponse, "7");
        long longMillis = (System.nanoTime() - start) / 1_000_000;

        System.out.printf(
                "%nMath answer checker, %d typical responses (%d chars each), %s s per measurement%n",
                cases.size(), cases.get(0).response().length(), seconds);
        System.out.printf("| checker | checks/s | ratio | table cases right |%n|---|---:|---:|---:|%n");
        System.out.printf(
                "| MathAnswers (old, baseline) | %.0f | 1.00 | %d / %d |%n", baseline, oldCorrect, cases.size());
        System.out.printf(
                "| MathChecker | %.0f | %.2f | %d / %d |%n", checker, checker / baseline, cases.size(), cases.size());
        System.out.printf("| MathChecker.extract only | %.0f | %.2f | - |%n", extractOnly, extractOnly / baseline);
        System.out.printf(
                "Worst case on %d hostile answers: %d ms (limit %d ms); 100k-character response: %d ms%n",
                MathCheckerRobustnessTest.hostileAnswers().size(),
                worstMillis,
                MathChecker.TIME_LIMIT_MILLIS,
                longMillis);
        assertThat(checker).isPositive();
    }

    /** Checks per second over the cases, after one warm-up pass of the same length. */
    private static double throughput(List<Case> cases, BiPredicate<String, String> check, double seconds) {
        run(cases, check, seconds);
        return run(cases, check, seconds);
    }

    private static double run(List<Case> cases, BiPredicate<String, String> check, double seconds) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        long checks = 0;
        int sink = 0;
        while (System.nanoTime() < deadline) {
            for (Case c : cases) {
                sink += check.test(c.response(), c.reference()) ? 1 : 0;
                checks++;
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        assertThat(sink).isNotNegative();
        return checks / elapsed;
    }
}
