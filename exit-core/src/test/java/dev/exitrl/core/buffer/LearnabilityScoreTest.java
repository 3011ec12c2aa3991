package dev.exitrl.core.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LearnabilityScoreTest {
    @Test
    void populationVarianceOfQualities() {
        // mean 0.5, squared deviations 0.25 each, divided by G = 4 (population) -> 0.25
        assertThat(LearnabilityScore.of(new double[] {1, 0, 1, 0})).isCloseTo(0.25, within(1e-15));
        // mean 0.3, deviations -0.1/+0.1 -> (0.01 + 0.01) / 2 = 0.01 (the sample variance would be 0.02)
        assertThat(LearnabilityScore.of(new double[] {0.2, 0.4})).isCloseTo(0.01, within(1e-15));
        // one success in four: mean 0.25, (0.5625 + 3 * 0.0625) / 4 = 0.1875
        assertThat(LearnabilityScore.of(new double[] {1, 0, 0, 0})).isCloseTo(0.1875, within(1e-15));
    }

    @Test
    void allEqualQualitiesAndSingleRolloutScoreZero() {
        assertThat(LearnabilityScore.of(new double[] {0.7, 0.7, 0.7})).isZero();
        assertThat(LearnabilityScore.of(new double[] {0.3})).isZero();
    }

    @Test
    void rejectsQualitiesOutsideTheUnitInterval() {
        assertThatThrownBy(() -> LearnabilityScore.of(new double[] {0.5, 1.2})).hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> LearnabilityScore.of(new double[] {Double.NaN}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LearnabilityScore.of(new double[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
