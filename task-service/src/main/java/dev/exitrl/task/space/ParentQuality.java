package dev.exitrl.task.space;

import dev.exitrl.core.domain.BaseTask;
import dev.exitrl.core.domain.Domain;
import dev.exitrl.core.task.History;

/**
 * The quality of the response an instance revises: what the improvement reward compares a new response against.
 * Stored with the instance when it was created from a rollout; for an instance without one (a turn prefix chosen by
 * selection) the domain's verifier scores the latest response again, which is deterministic.
 */
public final class ParentQuality {
    private ParentQuality() {}

    /** Null at depth 0 (nothing to revise); else the stored quality, or the verifier's. */
    public static Double of(Domain domain, BaseTask task, History history, Double stored) {
        if (history.isEmpty()) {
            return null;
        }
        if (stored != null) {
            return stored;
        }
        return domain.verify(task, history.latest().response()).quality();
    }
}
