package dev.exitrl.core.buffer;

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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class SelectionExpansionPropertiesTest {
    @Provide
    Arbitrary<History> histories() {
        var turn = net.jqwik.api.Combinators.combine(Arbitraries.strings().alpha().ofMaxLength(6),
                Arbitraries.integers().between(1, 6), Arbitraries.of("", "trace").injectNull(0.5)).as(Turn::new);
        return turn.list().ofMinSize(1).ofMaxSize(7).map(History::new);
    }

    @Property(tries = 500)
    void selectionYieldsAValidPrefixWithDepthKPrimePlusOne(@ForAll("histories") History history, @ForAll long seed) {
        var stored = TaskInstance.of(TASK, history);
        var selected = Selection.select(stored, new SplittableRandom(seed));

        int t = selected.history().turnCount();
        assertThat(t).isBetween(1, history.turnCount());
        assertThat(selected.history().turns()).isEqualTo(history.turns().subList(0, t));
        assertThat(selected.task()).isEqualTo(TASK);
        int kPrime = selected.history().latest().iterate() - 1; // paper's 0-based iterate index
        assertThat(selected.depth()).isEqualTo(kPrime + 1);
    }

    @Property(tries = 500)
    void expansionOfATTurnHistoryYieldsItsTPartialHistories(@ForAll("histories") History history) {
        var parent = TaskInstance.of(TASK, history.prefix(1));
        var group = new Group(parent, StepKind.IMPROVE, PolicyVersion.INITIAL, List.of(new Rollout(history, 0.5, 0.5)));
        var children = Expansion.children(group, ChildPolicy.ALL, new SplittableRandom(0));

        assertThat(children).hasSize(history.turnCount());
        for (int i = 0; i < children.size(); i++) {
            assertThat(children.get(i).history()).isEqualTo(history.prefix(i + 1));
            assertThat(children.get(i).depth()).isEqualTo(history.turns().get(i).iterate());
        }
    }
}
