package dev.exitrl.core.domain.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Model output is hostile input: the checker never throws and always answers within a bounded time. */
class MathCheckerRobustnessTest {
    /** The per-comparison budget plus generous slack for a shared, busy build machine. */
    private static final long BOUND_MILLIS = MathChecker.TIME_LIMIT_MILLIS + 1_500;

    static List<String> hostileAnswers() {
        return List.of(
                "\\frac{1}{0}",
                "0^{-1}",
                "\\frac{0}{0}",
                "\\sqrt[0]{4}",
                "\\sqrt{-4}",
                "2^{100000}",
                "10^{10^{10}}",
                "9^{9^{9^{9}}}",
                "2^{2^{2^{2^{2^{2}}}}}",
                "e^{e^{e^{e^{10}}}}",
                "100000!",
                "1000!",
                "\\binom{100000}{50000}",
                "(x+1)^{100000}",
                "x^{x^{x^{x^{x}}}}",
                "1".repeat(100_000),
                "(".repeat(10_000) + "1" + ")".repeat(10_000),
                "{".repeat(10_000) + "1" + "}".repeat(10_000),
                "\\frac{".repeat(3_000) + "1",
                "\\sqrt{".repeat(3_000) + "2" + "}".repeat(3_000),
                "1/".repeat(5_000) + "1",
                "x^".repeat(5_000) + "2",
                "-".repeat(10_000) + "1",
                "\\pm".repeat(500) + "1",
                "1 \\pm 2 \\pm 3 \\pm 4 \\pm 5 \\pm 6 \\pm 7 \\pm 8",
                "1,".repeat(20_000) + "1",
                "\\{".repeat(2_000) + "\\}".repeat(2_000),
                "\\begin{pmatrix}".repeat(1_000),
                "\\begin{pmatrix}" + "1&".repeat(3_000) + "1\\end{pmatrix}",
                "((((",
                "}{",
                "\\frac",
                "\\",
                "$",
                "^",
                "_",
                "\\boxed{",
                "\\left(\\right)",
                "\u0000\uffff\ud800",
                "0.\\overline{" + "9".repeat(5_000) + "}",
                "1e99999",
                "x".repeat(100_000));
    }

    @Test
    void hostileAnswersNeverThrowNeverMatchOneAndFinishInBoundedTime() {
        long worst = 0;
        for (String hostile : hostileAnswers()) {
            long start = System.nanoTime();
            assertThat(MathChecker.equivalent(hostile, "1"))
                    .as(abbreviate(hostile))
                    .isFalse();
            assertThat(MathChecker.equivalent("1", hostile))
                    .as(abbreviate(hostile))
                    .isFalse();
            assertThatCode(() -> MathChecker.equivalent(hostile, hostile + "+1"))
                    .doesNotThrowAnyException();
            assertThatCode(() -> MathChecker.check("\\boxed{" + hostile + "}", hostile))
                    .doesNotThrowAnyException();
            long millis = (System.nanoTime() - start) / 1_000_000;
            worst = Math.max(worst, millis);
            assertThat(millis).as(abbreviate(hostile)).isLessThan(4 * BOUND_MILLIS);
        }
        System.out.println("MathChecker worst case on hostile answers (4 calls): " + worst + " ms");
    }

    @Test
    void nestingWithinTheLimitStillParses() {
        String nested = "(".repeat(30) + "1" + ")".repeat(30);
        assertThat(MathChecker.equivalent(nested, "1")).isTrue();
        assertThat(MathChecker.equivalent("\\frac{\\frac{\\frac{1}{2}}{2}}{2}", "\\frac18"))
                .isTrue();
    }

    @Test
    void hundredThousandCharacterResponsesAreCheckedQuickly() {
        String filler = "Let us think about this step by step, trying $x = 3$ and $y = 4$ again. ";
        String longThinking = filler.repeat(100_000 / filler.length()) + "\nSo the answer is \\boxed{7}.";
        String unbalanced = "\\boxed{".repeat(15_000);
        String manyBoxes = "\\boxed{1} ".repeat(10_000) + "\\boxed{7}";
        String manyDollars = "$".repeat(100_000);
        String manyPhrases = "the answer is ".repeat(7_200) + "7";
        for (String response : List.of(longThinking, unbalanced, manyBoxes, manyDollars, manyPhrases)) {
            assertThat(response.length()).isGreaterThanOrEqualTo(99_000);
            long start = System.nanoTime();
            boolean correct = MathChecker.check(response, "7");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(millis).as(abbreviate(response)).isLessThan(BOUND_MILLIS);
            assertThat(correct).as(abbreviate(response)).isEqualTo(response != unbalanced && response != manyDollars);
        }
    }

    @Test
    void randomTokenSoupNeverThrowsAndStaysWithinTheBound() {
        String[] tokens = {
            "1",
            "2",
            "0",
            "x",
            "y",
            "e",
            "i",
            "\\pi",
            "+",
            "-",
            "*",
            "/",
            "^",
            "(",
            ")",
            "[",
            "]",
            "{",
            "}",
            "\\{",
            "\\}",
            ",",
            "=",
            "<",
            "\\le",
            "\\frac",
            "\\sqrt",
            "\\cdot",
            "\\infty",
            "\\cup",
            "!",
            "%",
            ".",
            " ",
            "\\pm",
            "\\text{",
            "\\boxed{",
            "$",
            "\\begin{pmatrix}",
            "&",
            "\\\\",
            "\\end{pmatrix}",
            "|",
            "\\sin",
            "\\log_",
            "\\overline{",
            "_",
            "or",
            "\u2212",
            "\\left(",
            "\\right)"
        };
        SplittableRandom random = new SplittableRandom(13);
        for (int n = 0; n < 3_000; n++) {
            StringBuilder a = new StringBuilder();
            StringBuilder b = new StringBuilder();
            int length = 1 + random.nextInt(25);
            for (int k = 0; k < length; k++) {
                a.append(tokens[random.nextInt(tokens.length)]);
                b.append(tokens[random.nextInt(tokens.length)]);
            }
            long start = System.nanoTime();
            assertThatCode(() -> {
                        MathChecker.equivalent(a.toString(), b.toString());
                        MathChecker.equivalent(a.toString(), a.toString());
                        MathChecker.check(b.toString(), a.toString());
                    })
                    .as(a + " vs " + b)
                    .doesNotThrowAnyException();
            assertThat((System.nanoTime() - start) / 1_000_000)
                    .as(a + " vs " + b)
                    .isLessThan(3 * BOUND_MILLIS);
            // an answer always matches itself, however odd (string equality comes first)
            assertThat(MathChecker.equivalent(a.toString(), a.toString())
                            || a.toString().isBlank()
                            || AnswerNormaliser.normalise(a.toString()).isEmpty())
                    .as(a.toString())
                    .isTrue();
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "... (" + s.length() + " chars)";
    }
}
