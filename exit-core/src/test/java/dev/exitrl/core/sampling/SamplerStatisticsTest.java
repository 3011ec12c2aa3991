package dev.exitrl.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * Draws 200k samples from each sampler on a fixed buffer and compares the empirical frequencies with the
 * exact distribution from {@code probabilities(...)}: Pearson chi-square below the 0.999 quantile, and every
 * frequency within 5 standard errors. Seeded, so the outcome is deterministic.
 */
class SamplerStatisticsTest {
    private static final int DRAWS = 200_000;
    /** 0.999 quantile of chi-square with 7 degrees of freedom (8 items). */
    private static final double CHI2_7_999 = 24.322;

    private static final List<Candidate> BUFFER = List.of(
            new Candidate(0.00, 90),
            new Candidate(0.05, 40),
            new Candidate(0.10, 99),
            new Candidate(0.25, 10),
            new Candidate(0.10, 70),
            new Candidate(0.20, 0),
            new Candidate(0.15, 95),
            new Candidate(0.0625, 60));
    private static final long NOW = 100;

    @Test
    void softmaxSamplerFollowsItsDistribution() {
        check(new SoftmaxSampler(10), 11L);
    }

    @Test
    void rankStalenessSamplerFollowsItsDistribution() {
        check(new RankSampler(0.5, 0.3), 12L);
    }

    private static void check(BufferSampler sampler, long seed) {
        double[] p = sampler.probabilities(BUFFER, NOW);
        double sum = 0;
        for (double x : p) {
            sum += x;
        }
        assertThat(sum).isCloseTo(1.0, Assertions.within(1e-12));

        var random = new SplittableRandom(seed);
        long[] counts = new long[p.length];
        for (int i = 0; i < DRAWS; i++) {
            counts[sampler.sample(BUFFER, NOW, random)]++;
        }

        assertThat(chiSquare(counts, p)).isLessThan(CHI2_7_999);
        for (int i = 0; i < p.length; i++) {
            double freq = (double) counts[i] / DRAWS;
            double se = Math.sqrt(p[i] * (1 - p[i]) / DRAWS);
            assertThat(Math.abs(freq - p[i])).as("item %d", i).isLessThan(5 * se);
        }
        // The test has power: the same counts are far from a uniform draw.
        double[] uniform = new double[p.length];
        Arrays.fill(uniform, 1.0 / p.length);
        assertThat(chiSquare(counts, uniform)).isGreaterThan(100 * CHI2_7_999);
    }

    private static double chiSquare(long[] observed, double[] p) {
        double chi2 = 0;
        for (int i = 0; i < p.length; i++) {
            double expected = p[i] * DRAWS;
            chi2 += (observed[i] - expected) * (observed[i] - expected) / expected;
        }
        return chi2;
    }
}
