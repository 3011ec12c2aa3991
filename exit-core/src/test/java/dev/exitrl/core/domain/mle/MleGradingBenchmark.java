package dev.exitrl.core.domain.mle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.core.domain.BaseTask;
import dev.exitrl.core.domain.GeneratorSpec;
import dev.exitrl.core.domain.Split;
import dev.exitrl.core.domain.Verification;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Grading time per solution and the ends of the normalised scale on every family and difficulty. Run with
 * {@code ./mvnw -Pbench -pl exit-core test -Dtest=MleGradingBenchmark}.
 */
@Tag("bench")
class MleGradingBenchmark {
    private static final List<String> SOLUTIONS = List.of(
            "impute strategy=zero\nordinal\nmodel knn k=3",
            "impute\nonehot\nstandardise\nmodel knn k=15",
            "impute\nonehot\nmodel cart depth=6",
            "impute\nonehot\nmodel forest trees=100",
            "impute\nonehot\nmodel gbt trees=100",
            "impute\nonehot\nstandardise\nmodel logistic",
            "impute\nonehot\nstandardise\nmodel linear");

    @Test
    void gradingTimePerSolutionAndTheScaleEnds() {
        long totalNanos = 0;
        long maxNanos = 0;
        int graded = 0;
        for (CompetitionFamily family : CompetitionFamily.values()) {
            for (int d = 1; d <= GeneratorSpec.MAX_DIFFICULTY; d++) {
                MleDomain mle = new MleDomain(); // no cache shared between difficulties
                BaseTask task = MleDomain.generatedTask(family, 1000 + d, d, Split.TRAIN);
                assertThat(mle.verify(task, MleDomain.fence(family.reference)).quality())
                        .isEqualTo(1.0);
                assertThat(mle.verify(task, MleDomain.fence("model constant")).quality())
                        .isZero();
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-15s d%d |", family.id, d));
                for (String s : SOLUTIONS) {
                    long start = System.nanoTime();
                    Verification v = mle.verify(task, MleDomain.fence(s));
                    long nanos = System.nanoTime() - start;
                    totalNanos += nanos;
                    maxNanos = Math.max(maxNanos, nanos);
                    graded++;
                    line.append(String.format(
                            Locale.ROOT,
                            " %s%.2f/%4.0fms",
                            v.feedback().startsWith("ERROR") ? "E" : " ",
                            v.quality(),
                            nanos / 1e6));
                }
                System.out.println(line);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "graded %d solutions: mean %.0f ms, max %.0f ms per solution%n",
                graded,
                totalNanos / 1e6 / graded,
                maxNanos / 1e6);
        assertThat(maxNanos / 1e9).isLessThan(MleDomain.DEFAULT_TIME_LIMIT.toSeconds());
    }

    @Test
    void taskGenerationTime() {
        MleDomain mle = new MleDomain();
        long start = System.nanoTime();
        mle.generate(new GeneratorSpec(1, 3, 200, 50));
        System.out.printf(Locale.ROOT, "generated 250 competitions in %.0f ms%n", (System.nanoTime() - start) / 1e6);
    }
}
