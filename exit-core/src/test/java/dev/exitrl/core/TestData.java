package dev.exitrl.core;

import dev.exitrl.core.task.BaseTaskRef;
import dev.exitrl.core.task.History;
import dev.exitrl.core.task.TaskInstance;
import dev.exitrl.core.task.Turn;

/** Small builders for test instances. */
public final class TestData {
    public static final BaseTaskRef TASK = new BaseTaskRef("math", "p-1");

    private TestData() {
    }

    /** A single-turn instance whose latest response is {@code text} at iterate {@code iterate}. */
    public static TaskInstance single(String text, int iterate) {
        return TaskInstance.of(TASK, History.of(Turn.of(text, iterate)));
    }

    /** A history with one turn per iterate given, responses named "t{turn}i{iterate}". */
    public static History history(int... iterates) {
        var h = History.empty();
        for (int t = 0; t < iterates.length; t++) h = h.withNextTurn(Turn.of("t" + t + "i" + iterates[t], iterates[t]));
        return h;
    }
}
