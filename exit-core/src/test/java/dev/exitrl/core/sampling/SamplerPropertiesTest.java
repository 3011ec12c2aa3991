package dev.exitrl.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class SamplerPropertiesTest {
    @Provide
    Arbitrary<List<Candidate>> buffers() {
        var candidate = Combinators.combine(Arbitraries.integers().between(0, 10).map(i -> i * 0.025),
                Arbitraries.longs().between(0, 50)).as(Candidate::new);
        return candidate.list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 300)
    void distributionsAreNormalisedAndOrderedByScore(@ForAll("buffers") List<Candidate> buffer) {
        for (BufferSampler sampler : List.of(new SoftmaxSampler(10), new RankSampler(0.1, 0.0))) {
            double[] p = sampler.probabilities(buffer, 50);
            assertThat(java.util.Arrays.stream(p).sum()).isCloseTo(1.0, within(1e-9));
            for (int i = 0; i < p.length; i++) {
                for (int j = 0; j < p.length; j++) {
                    // without staleness, a higher score never gets less probability; equal scores get equal probability
                    if (buffer.get(i).score() > buffer.get(j).score()) assertThat(p[i]).isGreaterThanOrEqualTo(p[j]);
                    if (buffer.get(i).score() == buffer.get(j).score()) assertThat(p[i]).isEqualTo(p[j]);
                }
            }
        }
        double[] mixed = new RankSampler(0.1, 0.3).probabilities(buffer, 50);
        assertThat(java.util.Arrays.stream(mixed).sum()).isCloseTo(1.0, within(1e-9));
        for (double x : mixed) assertThat(x).isBetween(0.0, 1.0);
    }
}
