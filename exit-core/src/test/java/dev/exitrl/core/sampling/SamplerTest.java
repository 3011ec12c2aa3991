package dev.exitrl.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SamplerTest {
    private static final double TOL = 1e-12;

    @Test
    void softmaxMatchesHandComputedValues() {
        // kappa * S = 0, 1, 2 -> softmax(0, 1, 2) = (1, e, e^2) / (1 + e + e^2)
        var p = new SoftmaxSampler(10).probabilities(candidates(0.0, 0.1, 0.2), 0);
        assertThat(p[0]).isCloseTo(0.09003057317038046, within(TOL));
        assertThat(p[1]).isCloseTo(0.24472847105479764, within(TOL));
        assertThat(p[2]).isCloseTo(0.66524095577481770, within(TOL));
    }

    @Test
    void softmaxIsStableForLargeKappaAndUniformForEqualScores() {
        var p = new SoftmaxSampler(1e4).probabilities(candidates(0.25, 0.0, 0.25), 0); // exp(2500) would overflow
        assertThat(p).containsExactly(0.5, 0.0, 0.5);
        assertThat(new SoftmaxSampler(10).probabilities(candidates(0.1, 0.1, 0.1, 0.1), 0))
                .containsOnly(0.25);
    }

    @Test
    void rankScoresUseCompetitionRanksAndTemperature() {
        var scores = candidates(0.3, 0.1, 0.2, 0.1); // ranks 1, 3, 2, 3
        // beta = 1: h = 1, 1/3, 1/2, 1/3; sum 13/6
        var p1 = new RankSampler(1.0, 0.0).probabilities(scores, 0);
        assertThat(p1[0]).isCloseTo(6.0 / 13, within(TOL));
        assertThat(p1[1]).isCloseTo(2.0 / 13, within(TOL));
        assertThat(p1[2]).isCloseTo(3.0 / 13, within(TOL));
        assertThat(p1[3]).isCloseTo(2.0 / 13, within(TOL));
        // beta = 0.5: h^2 = 1, 1/9, 1/4, 1/9; sum 53/36
        var p2 = new RankSampler(0.5, 0.0).probabilities(scores, 0);
        assertThat(p2[0]).isCloseTo(36.0 / 53, within(TOL));
        assertThat(p2[1]).isCloseTo(4.0 / 53, within(TOL));
        assertThat(p2[2]).isCloseTo(9.0 / 53, within(TOL));
    }

    @Test
    void rankMixesInStaleness() {
        // current iteration 10; last sampled 10, 4, 7, 0 -> staleness 0, 6, 3, 10 (sum 19)
        var items =
                List.of(new Candidate(0.3, 10), new Candidate(0.1, 4), new Candidate(0.2, 7), new Candidate(0.1, 0));
        var p = new RankSampler(1.0, 0.25).probabilities(items, 10);
        assertThat(p[0]).isCloseTo(0.75 * 6 / 13 + 0.25 * 0, within(TOL));
        assertThat(p[1]).isCloseTo(0.75 * 2 / 13 + 0.25 * 6 / 19, within(TOL));
        assertThat(p[2]).isCloseTo(0.75 * 3 / 13 + 0.25 * 3 / 19, within(TOL));
        assertThat(p[3]).isCloseTo(0.75 * 2 / 13 + 0.25 * 10 / 19, within(TOL));
        // no staleness anywhere -> the staleness part is uniform
        var fresh = new RankSampler(1.0, 1.0).probabilities(List.of(new Candidate(0.3, 5), new Candidate(0.1, 5)), 5);
        assertThat(fresh).containsExactly(0.5, 0.5);
    }

    @Test
    void samplerOfKindAndBadParameters() {
        assertThat(BufferSampler.of(SamplerKind.SOFTMAX, 3, 0.1, 0.1)).isEqualTo(new SoftmaxSampler(3));
        assertThat(BufferSampler.of(SamplerKind.RANK, 3, 0.2, 0.3)).isEqualTo(new RankSampler(0.2, 0.3));
        assertThatThrownBy(() -> new SoftmaxSampler(0)).hasMessageContaining("kappa");
        assertThatThrownBy(() -> new RankSampler(0.1, 1.5)).hasMessageContaining("[0, 1]");
        assertThat(SamplerKind.fromId("rank")).isEqualTo(SamplerKind.RANK);
    }

    static List<Candidate> candidates(double... scores) {
        return Arrays.stream(scores).mapToObj(s -> new Candidate(s, 0)).toList();
    }
}
