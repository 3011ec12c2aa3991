package dev.exitrl.core.buffer;

import dev.exitrl.core.task.BaseTaskRef;
import dev.exitrl.core.task.Group;
import dev.exitrl.core.task.History;
import dev.exitrl.core.task.Rollout;
import dev.exitrl.core.task.TaskInstance;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Expansion (Algorithm 1, step 7): the responses of a group become new instances {@code (m, k+1, tau^{k+1})}.
 * A multi-turn history of t turns yields all its t per-turn partial histories (prefixes of 1..t turns), in
 * that order. Children are de-duplicated (first occurrence kept); they carry no score of their own: the
 * caller offers them to the buffer with the parent's fresh score.
 */
public final class Expansion {
    private Expansion() {}

    /**
     * Children of {@code group} under {@code policy}. {@code random} is used only by
     * {@link ChildPolicy#RANDOM_ONE}.
     */
    public static List<TaskInstance> children(Group group, ChildPolicy policy, RandomGenerator random) {
        var chosen = chooseRollouts(group.rollouts(), policy, random);
        var out = new LinkedHashSet<TaskInstance>();
        for (Rollout rollout : chosen) {
            out.addAll(partialHistories(group.instance().task(), rollout.history()));
        }
        return List.copyOf(out);
    }

    /** The instances of all per-turn partial histories of {@code history}: prefixes of 1..t turns. */
    public static List<TaskInstance> partialHistories(BaseTaskRef task, History history) {
        var out = new ArrayList<TaskInstance>(history.turnCount());
        for (int t = 1; t <= history.turnCount(); t++) {
            out.add(TaskInstance.of(task, history.prefix(t)));
        }
        return out;
    }

    static List<Rollout> chooseRollouts(List<Rollout> rollouts, ChildPolicy policy, RandomGenerator random) {
        switch (policy) {
            case ALL:
                return rollouts;
            case BEST: {
                Rollout best = rollouts.get(0);
                for (Rollout r : rollouts) {
                    if (r.quality() > best.quality()) {
                        best = r; // ties: earliest wins
                    } // ties: earliest wins
                }
                return List.of(best);
            }
            case RANDOM_ONE:
                return List.of(rollouts.get(random.nextInt(rollouts.size())));
            default:
                throw new IllegalArgumentException("unknown child policy " + policy);
        }
    }
}
