package dev.exitrl.core.grpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class AdvantagesTest {
    private static final double TOL = 1e-12;

    @Test
    void normalisedByPopulationStdPlusEps() {
        // mean 0.5, population std 0.5 -> +-0.5 / (0.5 + 1e-6)
        var a = Advantages.of(new double[] {1, 0, 1, 0}, 1e-6);
        assertThat(a[0]).isCloseTo(0.999998000004, within(TOL));
        assertThat(a[1]).isCloseTo(-0.999998000004, within(TOL));
        // mean 0.5, population variance 0.06, std 0.2449489742783178 -> 0.3 / (std + 1e-6)
        var b = Advantages.of(new double[] {0.2, 0.5, 0.8}, 1e-6);
        assertThat(b[0]).isCloseTo(-1.2247398714120015, within(TOL));
        assertThat(b[1]).isCloseTo(0.0, within(TOL));
        assertThat(b[2]).isCloseTo(1.2247398714120015, within(TOL));
    }

    @Test
    void allEqualRewardsGiveExactZerosAndAreDetected() {
        var rewards = new double[] {0.1 + 0.2, 0.3, 0.3}; // 0.30000000000000004 vs 0.3: rounding only
        assertThat(Advantages.isZeroVariance(rewards)).isTrue();
        assertThat(Advantages.of(rewards, 1e-6)).containsOnly(0.0);
        assertThat(Advantages.isZeroVariance(new double[] {0.3, 0.3001})).isFalse();
    }

    @Test
    void batchCountsAndOptionallyDropsZeroVarianceGroups() {
        var groups = List.of(new double[] {1, 1}, new double[] {1, 0}, new double[] {0, 0});
        var kept = Advantages.ofBatch(groups, 1e-6, false);
        assertThat(kept.zeroVarianceGroups()).isEqualTo(2);
        assertThat(kept.keptGroups()).containsExactly(0, 1, 2);
        assertThat(kept.advantages().get(0)).containsOnly(0.0);

        var dropped = Advantages.ofBatch(groups, 1e-6, true);
        assertThat(dropped.zeroVarianceGroups()).isEqualTo(2);
        assertThat(dropped.keptGroups()).containsExactly(1);
        assertThat(dropped.advantages()).hasSize(1);
        assertThat(dropped.advantages().get(0)[0]).isCloseTo(0.5 / (0.5 + 1e-6), within(TOL));
    }

    @Test
    void drGrpoCentresWithoutDividingByTheStd() {
        double[] rewards = {0.2, 0.5, 0.8, 0.5};
        double[] dr = Advantages.of(rewards, 1e-6, true);
        double[] grpo = Advantages.of(rewards, 1e-6, false);
        // mean 0.5: Dr. GRPO's advantages are r - mean, GRPO's the same divided by (population std + eps).
        assertThat(dr).containsExactly(new double[] {-0.3, 0.0, 0.3, 0.0}, within(TOL));
        double std = Math.sqrt((0.09 + 0 + 0.09 + 0) / 4);
        for (int i = 0; i < rewards.length; i++) {
            assertThat(grpo[i]).isCloseTo(dr[i] / (std + 1e-6), within(TOL));
        }
        // A group with a tiny spread: GRPO blows it up to +-1, Dr. GRPO keeps it tiny.
        double[] close = {0.500, 0.501};
        assertThat(Advantages.of(close, 1e-6, false)[1]).isGreaterThan(0.99);
        assertThat(Advantages.of(close, 1e-6, true)[1]).isCloseTo(0.0005, within(1e-12));
        assertThat(Advantages.of(new double[] {0.3, 0.3}, 1e-6, true)).containsOnly(0.0);
        var batch = Advantages.ofBatch(List.of(rewards, new double[] {1, 1}), 1e-6, true, true);
        assertThat(batch.keptGroups()).containsExactly(0);
        assertThat(batch.advantages().get(0)).containsExactly(dr, within(TOL));
    }
}
