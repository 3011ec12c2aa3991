package dev.exitrl.core;

import dev.exitrl.core.task.BaseTaskRef;
import dev.exitrl.core.task.History;
import dev.exitrl.core.task.TaskInstance;
import dev.exitrl.core.task.Turn;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

/** Small builders for test instances. */
public final class TestData {
    public static final BaseTaskRef TASK = new BaseTaskRef("math", "p-1");

    private TestData() {}

    /** A single-turn instance whose latest response is {@code text} at iterate {@code iterate}. */
    public static TaskInstance single(String text, int iterate) {
        return TaskInstance.of(TASK, History.of(Turn.of(text, iterate)));
    }

    /** A history with one turn per iterate given, responses named "t{turn}i{iterate}". */
    public static History history(int... iterates) {
        var h = History.empty();
        for (int t = 0; t < iterates.length; t++) {
            h = h.withNextTurn(Turn.of("t" + t + "i" + iterates[t], iterates[t]));
        }
        return h;
    }

    /**
     * For one property case: a source of scores on the coarse grid {0, 0.025, ..., 0.25} (learnability scores lie
     * in [0, 0.25]), so that ties are frequent. Each case draws its own window of 1 to 11 consecutive grid points,
     * so some cases have all scores equal and others use the whole grid.
     */
    public static DoubleSupplier gridScores(SplittableRandom random) {
        int distinct = PropertyCheck.intBetween(random, 1, 11);
        int lowest = random.nextInt(11 - distinct + 1);
        return () -> (lowest + random.nextInt(distinct)) * 0.025;
    }
}
