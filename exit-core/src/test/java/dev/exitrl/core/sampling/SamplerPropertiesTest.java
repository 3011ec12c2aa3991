package dev.exitrl.core.sampling;

import static dev.exitrl.core.PropertyCheck.forAll;
import static dev.exitrl.core.PropertyCheck.intBetween;
import static dev.exitrl.core.PropertyCheck.listOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.exitrl.core.TestData;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplerPropertiesTest {
    /** 1 to 40 candidates; scores on a coarse grid so that ties are frequent, last sampled at iteration 0 to 50. */
    private static List<Candidate> buffer(SplittableRandom random) {
        var scores = TestData.gridScores(random);
        return listOf(random, 1, 40, r -> new Candidate(scores.getAsDouble(), intBetween(r, 0, 50)));
    }

    @Test
    void distributionsAreNormalisedAndOrderedByScore() {
        forAll(300, random -> {
            var buffer = buffer(random);
            for (BufferSampler sampler : List.of(new SoftmaxSampler(10), new RankSampler(0.1, 0.0))) {
                double[] p = sampler.probabilities(buffer, 50);
                assertThat(Arrays.stream(p).sum()).isCloseTo(1.0, within(1e-9));
                for (int i = 0; i < p.length; i++) {
                    for (int j = 0; j < p.length; j++) {
                        // without staleness, a higher score never gets less probability; equal scores get equal
                        // probability
                        if (buffer.get(i).score() > buffer.get(j).score()) {
                            assertThat(p[i]).isGreaterThanOrEqualTo(p[j]);
                        }
                        if (buffer.get(i).score() == buffer.get(j).score()) {
                            assertThat(p[i]).isEqualTo(p[j]);
                        }
                    }
                }
            }
            double[] mixed = new RankSampler(0.1, 0.3).probabilities(buffer, 50);
            assertThat(Arrays.stream(mixed).sum()).isCloseTo(1.0, within(1e-9));
            for (double x : mixed) {
                assertThat(x).isBetween(0.0, 1.0);
            }
        });
    }
}
