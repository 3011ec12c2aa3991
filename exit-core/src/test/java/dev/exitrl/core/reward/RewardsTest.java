package dev.exitrl.core.reward;

import static dev.exitrl.core.task.StepKind.DEBUG;
import static dev.exitrl.core.task.StepKind.DIVERGE;
import static dev.exitrl.core.task.StepKind.IMPROVE;
import static dev.exitrl.core.task.StepKind.SOLVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RewardsTest {
    private static final double TOL = 1e-12;

    @Test
    void normalisedImprovement() {
        assertThat(Rewards.improvement(0.5, 0.75)).isCloseTo(0.5, within(TOL)); // 0.25 / 0.5
        assertThat(Rewards.improvement(0.0, 0.3)).isCloseTo(0.3, within(TOL)); // 0.3 / 1
        assertThat(Rewards.improvement(0.8, 1.0)).isCloseTo(1.0, within(TOL)); // 0.2 / 0.2
        assertThat(Rewards.improvement(0.5, 0.25)).isZero(); // worse: clipped at 0
        assertThat(Rewards.improvement(0.4, 0.4)).isZero();
    }

    @Test
    void deltaMaxZeroEdgeCase() {
        assertThat(Rewards.improvement(1.0, 1.0)).isEqualTo(1.0);
        assertThat(Rewards.improvement(1.0, 0.99)).isZero();
        assertThat(Rewards.improvement(1.0, 0.0)).isZero();
    }

    @Test
    void modesPerStepKind() {
        // SOLVE keeps the domain quality in every mode
        for (RewardMode mode : RewardMode.values()) {
            assertThat(Rewards.reward(mode, SOLVE, Double.NaN, 0.6)).isEqualTo(0.6);
        }

        assertThat(Rewards.reward(RewardMode.ABSOLUTE, IMPROVE, 0.5, 0.75)).isEqualTo(0.75);
        assertThat(Rewards.reward(RewardMode.ABSOLUTE, DIVERGE, 0.5, 0.25)).isEqualTo(0.25);

        assertThat(Rewards.reward(RewardMode.IMPROVEMENT, IMPROVE, 0.5, 0.75)).isCloseTo(0.5, within(TOL));
        assertThat(Rewards.reward(RewardMode.IMPROVEMENT, DIVERGE, 0.5, 0.75)).isCloseTo(0.5, within(TOL));
        assertThat(Rewards.reward(RewardMode.IMPROVEMENT, DEBUG, 0.5, 0.25)).isZero();

        assertThat(Rewards.reward(RewardMode.MLE, IMPROVE, 0.5, 0.75)).isCloseTo(0.5, within(TOL));
        assertThat(Rewards.reward(RewardMode.MLE, DIVERGE, 0.5, 0.25)).isEqualTo(0.25);
        assertThat(Rewards.reward(RewardMode.MLE, DEBUG, 0.5, 0.75)).isCloseTo(0.5, within(TOL));
        assertThat(Rewards.reward(RewardMode.MLE, DEBUG, 0.0, 0.4)).isCloseTo(0.4, within(TOL)); // = plain score
    }

    @Test
    void domainDefaultsFollowTheAppendix() {
        assertThat(RewardMode.defaultFor("math")).isEqualTo(RewardMode.ABSOLUTE);
        assertThat(RewardMode.defaultFor("tool-use")).isEqualTo(RewardMode.ABSOLUTE);
        assertThat(RewardMode.defaultFor("countdown")).isEqualTo(RewardMode.IMPROVEMENT);
        assertThat(RewardMode.defaultFor("mle")).isEqualTo(RewardMode.MLE);
        assertThat(RewardMode.defaultFor("something-new")).isEqualTo(RewardMode.IMPROVEMENT);
        assertThat(RewardMode.fromId("improvement")).isEqualTo(RewardMode.IMPROVEMENT);
    }

    @Test
    void rejectsQualitiesOutsideTheUnitInterval() {
        assertThatThrownBy(() -> Rewards.improvement(-0.1, 0.5)).hasMessageContaining("previousQuality");
        assertThatThrownBy(() -> Rewards.reward(RewardMode.ABSOLUTE, IMPROVE, 0.5, 1.5))
                .hasMessageContaining("newQuality");
    }
}
