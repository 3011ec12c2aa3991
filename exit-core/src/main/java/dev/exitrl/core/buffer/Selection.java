package dev.exitrl.core.buffer;

import dev.exitrl.core.task.TaskInstance;
import java.util.random.RandomGenerator;

/**
 * Selection (Algorithm 1, step 2): from a buffered item {@code (m, k, tau_t)} pick a turn prefix
 * {@code t- <= t} uniformly from {@code 1..t}; the new instance is {@code (m, k'+1, tau^{k'}_{t-})}.
 *
 * <p>Index convention: the paper counts iterates from 0 ({@code k'} = index of the prefix's latest iterate);
 * our {@link dev.exitrl.core.task.Turn#iterate()} counts from 1, so {@code k'+1} equals the latest turn's
 * {@code iterate} and the selected instance is {@link TaskInstance#of(dev.exitrl.core.task.BaseTaskRef,
 * dev.exitrl.core.task.History)} of the prefix. Single-turn histories and depth-0 items (base tasks stored by
 * the curriculum preset) are returned as stored, without drawing a random number.
 */
public final class Selection {
    private Selection() {}

    public static TaskInstance select(TaskInstance stored, RandomGenerator random) {
        int turns = stored.history().turnCount();
        if (turns <= 1) {
            return TaskInstance.of(stored.task(), stored.history());
        }
        int prefixLength = 1 + random.nextInt(turns); // uniform in [1, t]
        return TaskInstance.of(stored.task(), stored.history().prefix(prefixLength));
    }
}
