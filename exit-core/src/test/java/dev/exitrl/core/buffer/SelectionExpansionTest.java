package dev.exitrl.core.buffer;

import static dev.exitrl.core.TestData.TASK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.core.TestData;
import dev.exitrl.core.task.Group;
import dev.exitrl.core.task.PolicyVersion;
import dev.exitrl.core.task.Rollout;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.core.task.TaskInstance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SelectionExpansionTest {
    @Test
    void selectionCoversEveryPrefixUniformly() {
        var stored = TaskInstance.of(TASK, TestData.history(2, 3, 1));
        var random = new SplittableRandom(42);
        int[] counts = new int[4];
        for (int i = 0; i < 30_000; i++) {
            counts[Selection.select(stored, random).history().turnCount()]++;
        }
        assertThat(counts[0]).isZero();
        for (int t = 1; t <= 3; t++) {
            assertThat(counts[t]).isBetween(9_500, 10_500); // mean 10,000, sd ~82
        }
    }

    @Test
    void singleTurnAndBaseItemsAreUsedAsStored() {
        var single = TestData.single("answer", 3);
        assertThat(Selection.select(single, new SplittableRandom(1))).isEqualTo(single);
        assertThat(Selection.select(TaskInstance.base(TASK), new SplittableRandom(1)))
                .isEqualTo(TaskInstance.base(TASK));
    }

    @Test
    void solveGroupChildrenAreDepthOneAndImproveChildrenDepthKPlusOne() {
        var base = TaskInstance.base(TASK);
        var solve = group(base, StepKind.SOLVE, new double[] {0.0, 1.0, 0.0}, "a", "b", "a");
        var children = Expansion.children(solve, ChildPolicy.ALL, new SplittableRandom(0));
        // "a" twice: de-duplicated, first occurrence kept
        assertThat(children).extracting(TaskInstance::depth).containsExactly(1, 1);
        assertThat(children).extracting(c -> c.history().latest().response()).containsExactly("a", "b");

        var parent = TestData.single("x", 2);
        var improve = group(parent, StepKind.IMPROVE, new double[] {0.2, 0.9, 0.9}, "p", "q", "r");
        assertThat(Expansion.children(improve, ChildPolicy.ALL, new SplittableRandom(0)))
                .extracting(TaskInstance::depth)
                .containsExactly(3, 3, 3);
        // best: highest quality, ties to the earliest rollout
        assertThat(Expansion.children(improve, ChildPolicy.BEST, new SplittableRandom(0)))
                .extracting(c -> c.history().latest().response())
                .containsExactly("q");
    }

    @Test
    void randomOneDrawsEachRolloutAboutEquallyOften() {
        var improve = group(TestData.single("x", 1), StepKind.IMPROVE, new double[] {0, 0, 0, 0}, "a", "b", "c", "d");
        var random = new SplittableRandom(3);
        var counts = new HashMap<String, Integer>();
        for (int i = 0; i < 8_000; i++) {
            var children = Expansion.children(improve, ChildPolicy.RANDOM_ONE, random);
            assertThat(children).hasSize(1);
            counts.merge(children.get(0).history().latest().response(), 1, Integer::sum);
        }
        assertThat(counts).containsOnlyKeys("a", "b", "c", "d");
        assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(1_800, 2_200)); // mean 2,000, sd ~39
    }

    @Test
    void childPolicyIdsRoundTrip() {
        for (ChildPolicy p : ChildPolicy.values()) {
            assertThat(ChildPolicy.fromId(p.id())).isEqualTo(p);
        }
        assertThat(ChildPolicy.fromId("random-one")).isEqualTo(ChildPolicy.RANDOM_ONE);
    }

    private static Group group(TaskInstance parent, StepKind kind, double[] qualities, String... responses) {
        var rollouts = new ArrayList<Rollout>();
        for (int i = 0; i < responses.length; i++) {
            rollouts.add(new Rollout(parent.answeredWith(responses[i], null), qualities[i], qualities[i]));
        }
        return new Group(parent, kind, PolicyVersion.INITIAL, List.copyOf(rollouts));
    }
}
