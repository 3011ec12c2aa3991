package dev.exitrl.core.domain.countdown;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.core.domain.Arithmetic;
import dev.exitrl.core.domain.BaseTask;
import dev.exitrl.core.domain.Fraction;
import dev.exitrl.core.domain.GeneratorSpec;
import dev.exitrl.core.domain.Split;
import dev.exitrl.core.domain.Verification;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CountdownDomainTest {
    private final CountdownDomain countdown = new CountdownDomain();
    // numbers 2, 3, 7, 7, 25 and target 100; 25 * (7 - 3) = 100
    private final BaseTask task =
            new CountdownPuzzle(List.of(2, 3, 7, 7, 25), 100, Arithmetic.parse("25 * (7 - 3)"), 3).toTask(Split.TRAIN);

    @Test
    void exactExpressionsScoreOne() {
        for (String response : List.of(
                "Answer: 25 * (7 - 3)",
                "25*(7-3)",
                "I try 25 * 4.\nanswer: (7 - 3) × 25 = 100",
                "Answer: 25 * (7 / 7 + 3)",
                "**Answer:** 25*(7-3)")) {
            Verification v = countdown.verify(task, response);
            assertThat(v.quality()).as(response).isEqualTo(1.0);
            assertThat(v.correct()).isTrue();
        }
    }

    @Test
    void inexactValidExpressionsGetGradedQualityThatRisesAsTheyGetCloser() {
        // values 91, 89, 75, 50, 7/2: growing distance from 100
        List<String> closerFirst = List.of("25 * 3 + 7 + 7 + 2", "25 * 3 + 7 + 7", "25 * 3", "25 * 2", "7 / 2");
        Verification exact = countdown.verify(task, "25 * (7 - 3)");
        double previous = exact.quality();
        for (String expr : closerFirst) {
            Verification v = countdown.verify(task, "Answer: " + expr);
            assertThat(v.quality())
                    .as(expr)
                    .isGreaterThan(0.0)
                    .isLessThan(previous)
                    .isLessThanOrEqualTo(0.9);
            assertThat(v.correct()).isFalse();
            assertThat(v.feedback()).contains("away from the target 100");
            previous = v.quality();
        }
        assertThat(countdown.verify(task, "Answer: 25 * 3").quality()).isEqualTo(0.9 / (1 + 25.0 / 10.0));
        assertThat(countdown.verify(task, "Answer: 7 / 2").feedback()).contains("equals 7/2");
    }

    @Test
    void closenessIsStrictlyDecreasingInTheDistanceAndBelowOne() {
        for (int target : new int[] {1, 24, 100, 999}) {
            double previous = 1.0;
            for (int d = 1; d <= 2000; d++) {
                double q = CountdownDomain.closeness(Fraction.of(d, 3), target);
                assertThat(q).isLessThan(previous).isPositive();
                previous = q;
            }
        }
    }

    @Test
    void invalidExpressionsScoreZeroAndSayWhy() {
        record Case(String response, String reason) {}
        List<Case> cases = List.of(
                new Case("Answer: 25 * 4", "4 is not one of the given numbers"),
                new Case("Answer: 25 * 3 + 25", "25 is used more often than it is given"),
                new Case("Answer: 25 / (7 - 7)", "divides by zero"),
                new Case("Answer: 25 * (7 - 3", "missing ')'"),
                new Case("Answer: 25 ** 3", "syntax error"),
                new Case("Answer: -3 + 25", "unary minus"),
                new Case("Answer: 25 * x", "unexpected 'x'"),
                new Case("Answer: 25 +", "ends too early"),
                new Case("I would multiply 25 by 4\nbut I am not sure", "No expression found"));
        for (Case c : cases) {
            Verification v = countdown.verify(task, c.response());
            assertThat(v.quality()).as(c.response()).isZero();
            assertThat(v.correct()).isFalse();
            assertThat(v.feedback()).as(c.response()).contains(c.reason());
        }
        // a number given twice may be used twice
        assertThat(countdown.verify(task, "Answer: 7 * 7 * 2 + 2").feedback()).contains("used more often");
        assertThat(countdown.verify(task, "Answer: 7 * 7 * 2 + 3 - 1").feedback())
                .contains("1 is not one");
        assertThat(countdown.verify(task, "Answer: 7 * 7 * 2 + 2 / 2").feedback())
                .contains("used more often");
        assertThat(countdown.verify(task, "Answer: 7 * 7 * 2").quality()).isBetween(0.0, 0.9);
    }

    @Test
    void generatedInstancesHaveTheLevelsShapeAndARecordedExactSolution() {
        int[] counts = {4, 4, 5, 5, 6};
        for (int difficulty = 1; difficulty <= 5; difficulty++) {
            for (BaseTask t : countdown
                    .generate(new GeneratorSpec(13, difficulty, 100, 0))
                    .train()) {
                CountdownPuzzle.Instance instance = CountdownPuzzle.read(t);
                assertThat(instance.numbers()).hasSize(counts[difficulty - 1]);
                assertThat(instance.numbers()).doesNotContain(instance.target());
                String solution = t.data().get("solution").stringValue();
                List<Fraction> used = Arithmetic.literals(Arithmetic.parse(solution));
                List<Fraction> left = new ArrayList<>(
                        instance.numbers().stream().map(n -> Fraction.of(n)).toList());
                for (Fraction f : used) {
                    assertThat(left.remove(f)).as(solution).isTrue();
                }
                assertThat(Arithmetic.evaluate(Arithmetic.parse(solution))).isEqualTo(Fraction.of(instance.target()));
            }
        }
    }

    @Test
    void parsesTheLastAnswerLineOrASingleLineResponse() {
        assertThat(countdown.parseAnswer("Answer: 1 + 2\nAnswer: `3 * 4` = 12")).isEqualTo("3 * 4");
        assertThat(countdown.parseAnswer("  (1 + 2) * 3  ")).isEqualTo("(1 + 2) * 3");
        assertThat(countdown.parseAnswer("first line\nsecond line")).isNull();
        assertThat(countdown.parseAnswer("Answer: = 5")).isNull();
    }
}
