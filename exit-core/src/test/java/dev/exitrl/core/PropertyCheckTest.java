package dev.exitrl.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PropertyCheckTest {
    /** False for about one case in ten: "every draw from [0, 10) is below 9". */
    private static final Consumer<SplittableRandom> MOSTLY_TRUE =
            random -> assertThat(random.nextInt(10)).as("draw").isLessThan(9);

    @Test
    void aFalsePropertyFailsNamingTheTryAndASeedThatReplaysTheFailure() {
        var failure = catchThrowableOfType(AssertionError.class, () -> PropertyCheck.forAll(7L, 100, MOSTLY_TRUE));

        assertThat(failure).isNotNull();
        assertThat(failure.getMessage())
                .containsPattern("try \\d+ of 100, case seed -?\\d+")
                .contains("-DreplaySeed=")
                .contains("draw");
        assertThat(failure.getCause()).isInstanceOf(AssertionError.class);

        long seed = seedIn(failure);
        // The named seed regenerates the failing case: the same draw, and the same failure on replay.
        assertThat(new SplittableRandom(seed).nextInt(10)).isEqualTo(9);
        assertThatThrownBy(() -> PropertyCheck.replay(seed, MOSTLY_TRUE))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("case seed " + seed);
    }

    @Test
    void anExceptionInThePropertyIsAlsoReportedWithItsSeed() {
        assertThatThrownBy(() -> PropertyCheck.forAll(7L, 5, random -> {
                    throw new IllegalStateException("boom");
                }))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("try 0 of 5")
                .hasMessageContaining("boom")
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void runsEveryTryOnItsOwnSeedAndTheSameCasesOnEveryRun() {
        var first = new ArrayList<Long>();
        PropertyCheck.forAll(7L, 300, random -> first.add(random.nextLong()));
        var second = new ArrayList<Long>();
        PropertyCheck.forAll(7L, 300, random -> second.add(random.nextLong()));

        assertThat(first).hasSize(300).isEqualTo(second);
        assertThat(new HashSet<>(first)).hasSize(300);
    }

    @Test
    void theReplaySeedPropertyRunsOnlyThatCase() {
        String previous = System.getProperty(PropertyCheck.REPLAY_SEED);
        try {
            System.setProperty(PropertyCheck.REPLAY_SEED, "12345");
            var draws = new ArrayList<Long>();
            PropertyCheck.forAll(300, random -> draws.add(random.nextLong()));
            assertThat(draws).containsExactly(new SplittableRandom(12345).nextLong());

            System.setProperty(PropertyCheck.REPLAY_SEED, "twelve");
            assertThatThrownBy(() -> PropertyCheck.forAll(300, random -> {}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("replaySeed must be a long")
                    .hasMessageContaining("'twelve'");
        } finally {
            if (previous == null) {
                System.clearProperty(PropertyCheck.REPLAY_SEED);
            } else {
                System.setProperty(PropertyCheck.REPLAY_SEED, previous);
            }
        }
    }

    @Test
    void sizesAreSkewedTowardSmallAndHitBothBounds() {
        var random = new SplittableRandom(3);
        int n = 10_000;
        int atMin = 0;
        int atMax = 0;
        int lowQuarter = 0;
        for (int i = 0; i < n; i++) {
            int s = PropertyCheck.size(random, 0, 120);
            assertThat(s).isBetween(0, 120);
            if (s == 0) {
                atMin++;
            }
            if (s == 120) {
                atMax++;
            }
            if (s <= 30) {
                lowQuarter++;
            }
        }
        // 1/8 at each bound by construction. Sizes 0..30 are a quarter of the range, so a uniform draw would land
        // there 26% of the time; expected here 1/8 + 6/8 * sqrt(31/121) = 50% (standard error 0.5%).
        assertThat(atMin).isGreaterThan(n / 10);
        assertThat(atMax).isGreaterThan(n / 10);
        assertThat(lowQuarter).isGreaterThan(n * 45 / 100);
    }

    @Test
    void intBetweenHitsBothBoundsOftenAndStaysInRange() {
        var random = new SplittableRandom(4);
        var seen = new ArrayList<Integer>();
        for (int i = 0; i < 2_000; i++) {
            seen.add(PropertyCheck.intBetween(random, 1, 8));
        }
        assertThat(seen).allSatisfy(x -> assertThat(x).isBetween(1, 8)).containsAll(List.of(1, 2, 3, 4, 5, 6, 7, 8));
        assertThat(seen.stream().filter(x -> x == 1).count()).isGreaterThan(2_000 / 8);
    }

    @Test
    void gridScoresMakeTiesFrequentAndSometimesAllScoresEqual() {
        int allEqual = 0;
        int tries = 1_000;
        var seeds = new SplittableRandom(5);
        for (int i = 0; i < tries; i++) {
            var scores = TestData.gridScores(new SplittableRandom(seeds.nextLong()));
            var distinct = new HashSet<Double>();
            for (int j = 0; j < 10; j++) {
                double score = scores.getAsDouble();
                assertThat(score).isBetween(0.0, 0.25);
                distinct.add(score);
            }
            if (distinct.size() == 1) {
                allEqual++;
            }
        }
        assertThat(allEqual).isGreaterThan(tries / 10);
    }

    private static long seedIn(AssertionError failure) {
        var matcher = Pattern.compile("case seed (-?\\d+)").matcher(failure.getMessage());
        assertThat(matcher.find()).isTrue();
        return Long.parseLong(matcher.group(1));
    }
}
