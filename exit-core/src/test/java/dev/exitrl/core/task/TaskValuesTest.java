package dev.exitrl.core.task;

import static dev.exitrl.core.TestData.TASK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exitrl.core.TestData;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskValuesTest {
    @Test
    void depthFollowsTheLatestIterate() {
        assertThat(TaskInstance.of(TASK, History.empty())).isEqualTo(TaskInstance.base(TASK));
        assertThat(TaskInstance.of(TASK, TestData.history(3, 1)).depth()).isEqualTo(1);
        assertThat(TaskInstance.of(TASK, TestData.history(1, 4)).depth()).isEqualTo(4);
    }

    @Test
    void answeringABaseTaskStartsTheFirstTurnAndRevisingBumpsTheIterate() {
        var first = TaskInstance.base(TASK).answeredWith("x = 2", null);
        assertThat(first.turns()).containsExactly(new Turn("x = 2", 1, null));

        var revised = TaskInstance.of(TASK, TestData.history(2, 1)).answeredWith("better", "trace");
        assertThat(revised.turns()).hasSize(2);
        assertThat(revised.turns().get(0)).isEqualTo(Turn.of("t0i2", 2));
        assertThat(revised.latest()).isEqualTo(new Turn("better", 2, "trace"));
        assertThat(TaskInstance.of(TASK, revised).depth()).isEqualTo(2);
    }

    @Test
    void groupChecksStepKindAgainstDepthAndExposesQualitiesAndRewards() {
        var base = TaskInstance.base(TASK);
        var r1 = new Rollout(base.answeredWith("a", null), 1.0, 1.0);
        var r2 = new Rollout(base.answeredWith("b", null), 0.0, 0.0);
        var group = new Group(base, StepKind.SOLVE, PolicyVersion.INITIAL, List.of(r1, r2));
        assertThat(group.qualities()).containsExactly(1.0, 0.0);
        assertThat(group.rewards()).containsExactly(1.0, 0.0);
        assertThat(r2.response()).isEqualTo("b");

        assertThatThrownBy(() -> new Group(base, StepKind.IMPROVE, PolicyVersion.INITIAL, List.of(r1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Rollout(base.answeredWith("a", null), 1.5, 0))
                .hasMessageContaining("quality must be in [0, 1]");
    }
}
