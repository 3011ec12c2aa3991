package dev.exitrl.core.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.exitrl.core.reward.RewardMode;
import dev.exitrl.core.reward.Rewards;
import dev.exitrl.core.task.BaseTaskRef;
import dev.exitrl.core.task.Group;
import dev.exitrl.core.task.History;
import dev.exitrl.core.task.PolicyVersion;
import dev.exitrl.core.task.Rollout;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.core.task.TaskInstance;
import dev.exitrl.core.task.Turn;
import java.util.ArrayList;
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
    void scoresTheVarianceOfRewardsNotOfQualities() {
        // Improvement reward: every revision is worse than the parent (0.9), so every reward is 0 and the group
        // carries no learning signal, although its qualities vary.
        var parent = TaskInstance.of(new BaseTaskRef("math", "t1"), History.of(Turn.of("old answer", 1)));
        double[] qualities = {0.1, 0.5, 0.8, 0.3};
        var rollouts = new ArrayList<Rollout>();
        for (double q : qualities) {
            double reward = Rewards.reward(RewardMode.IMPROVEMENT, StepKind.IMPROVE, 0.9, q);
            rollouts.add(new Rollout(parent.answeredWith("answer " + q, null), q, reward));
        }
        var group = new Group(parent, StepKind.IMPROVE, new PolicyVersion(0), rollouts);

        assertThat(LearnabilityScore.of(group.qualities())).isGreaterThan(0.05);
        assertThat(LearnabilityScore.of(group)).isZero();
    }

    @Test
    void rejectsQualitiesOutsideTheUnitInterval() {
        assertThatThrownBy(() -> LearnabilityScore.of(new double[] {0.5, 1.2})).hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> LearnabilityScore.of(new double[] {Double.NaN}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LearnabilityScore.of(new double[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
