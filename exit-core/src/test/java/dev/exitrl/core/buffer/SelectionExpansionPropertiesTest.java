package dev.exitrl.core.buffer;

import static dev.exitrl.core.PropertyCheck.forAll;
import static dev.exitrl.core.PropertyCheck.intBetween;
import static dev.exitrl.core.PropertyCheck.listOf;
import static dev.exitrl.core.PropertyCheck.size;
import static dev.exitrl.core.TestData.TASK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.core.task.Group;
import dev.exitrl.core.task.History;
import dev.exitrl.core.task.PolicyVersion;
import dev.exitrl.core.task.Rollout;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.core.task.TaskInstance;
import dev.exitrl.core.task.Turn;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SelectionExpansionPropertiesTest {
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /** 1 to 7 turns; responses of 0 to 6 letters, iterates 1 to 6, feedback null half the time, else "" or "trace". */
    private static History history(SplittableRandom random) {
        return new History(listOf(random, 1, 7, SelectionExpansionPropertiesTest::turn));
    }

    private static Turn turn(SplittableRandom random) {
        var response = new StringBuilder();
        for (int i = size(random, 0, 6); i > 0; i--) {
            response.append(LETTERS.charAt(random.nextInt(LETTERS.length())));
        }
        int iterate = intBetween(random, 1, 6);
        String feedback = random.nextBoolean() ? null : random.nextBoolean() ? "" : "trace";
        return new Turn(response.toString(), iterate, feedback);
    }

    @Test
    void selectionYieldsAValidPrefixWithDepthKPrimePlusOne() {
        forAll(500, random -> {
            var history = history(random);
            var stored = TaskInstance.of(TASK, history);
            var selected = Selection.select(stored, new SplittableRandom(random.nextLong()));

            int t = selected.history().turnCount();
            assertThat(t).isBetween(1, history.turnCount());
            assertThat(selected.history().turns()).isEqualTo(history.turns().subList(0, t));
            assertThat(selected.task()).isEqualTo(TASK);
            int kPrime = selected.history().latest().iterate() - 1; // paper's 0-based iterate index
            assertThat(selected.depth()).isEqualTo(kPrime + 1);
        });
    }

    @Test
    void expansionOfATTurnHistoryYieldsItsTPartialHistories() {
        forAll(500, random -> {
            var history = history(random);
            var parent = TaskInstance.of(TASK, history.prefix(1));
            var group =
                    new Group(parent, StepKind.IMPROVE, PolicyVersion.INITIAL, List.of(new Rollout(history, 0.5, 0.5)));
            var children = Expansion.children(group, ChildPolicy.ALL, new SplittableRandom(0));

            assertThat(children).hasSize(history.turnCount());
            for (int i = 0; i < children.size(); i++) {
                assertThat(children.get(i).history()).isEqualTo(history.prefix(i + 1));
                assertThat(children.get(i).depth())
                        .isEqualTo(history.turns().get(i).iterate());
            }
        });
    }
}
