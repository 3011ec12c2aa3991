package dev.exitrl.core.grpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class DiversityBonusTest {
    private static final double TOL = 1e-12;

    @Test
    void distanceToCentroidOverRangeOfDistances() {
        // centroid (2, 0); distances 2, 1, 3; range 3 - 1 = 2 -> 1, 0.5, 1.5
        var d = DiversityBonus.multipliers(List.of(new float[] {0, 0}, new float[] {1, 0}, new float[] {5, 0}));
        assertThat(d[0]).isCloseTo(1.0, within(TOL));
        assertThat(d[1]).isCloseTo(0.5, within(TOL));
        assertThat(d[2]).isCloseTo(1.5, within(TOL));
        // centroid (2, 0); distances 2, 0, 2; range 2 -> 1, 0, 1
        var e = DiversityBonus.multipliers(List.of(new float[] {0, 0}, new float[] {2, 0}, new float[] {4, 0}));
        assertThat(e).containsExactly(1.0, 0.0, 1.0);
    }

    @Test
    void zeroRangeGivesOnes() {
        // a single distinct embedding: every distance is 0
        var same = new float[] {0.3f, -1.2f, 4f};
        assertThat(DiversityBonus.multipliers(List.of(same, same.clone(), same.clone())))
                .containsOnly(1.0);
        // four corners of a square: all distances sqrt(2), range 0
        var corners = List.of(new float[] {1, 1}, new float[] {-1, 1}, new float[] {1, -1}, new float[] {-1, -1});
        assertThat(DiversityBonus.multipliers(corners)).containsOnly(1.0);
        assertThat(DiversityBonus.multipliers(List.of())).isEmpty();
    }

    @Test
    void multipliesAdvantages() {
        assertThat(DiversityBonus.apply(new double[] {1, -1, 2}, new double[] {1, 0.5, 1.5}))
                .containsExactly(1.0, -0.5, 3.0);
        assertThatThrownBy(() -> DiversityBonus.apply(new double[] {1}, new double[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DiversityBonus.multipliers(List.of(new float[] {1}, new float[] {1, 2})))
                .hasMessageContaining("differ in size");
    }
}
