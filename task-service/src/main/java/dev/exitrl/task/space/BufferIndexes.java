package dev.exitrl.task.space;

import dev.exitrl.core.sampling.SoftmaxSampler;
import java.sql.Timestamp;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Keeps one {@link BufferIndex} per experiment. Transactions that hold the experiment's row lock call
 * {@link #forUpdate} once: it returns an index that matches the committed table (rebuilding it when its version
 * differs from the row's) and bumps both versions, so whatever the transaction then changes in the index is
 * valid exactly if the transaction commits.
 *
 * <p>If the transaction rolls back, the row's version returns to v but the index stays at v + 1 holding changes that
 * never committed. With one instance the next lock would see v and rebuild; with several task-service instances on
 * one database another instance may commit v + 1 first, and the stale index would then look current. So a rollback
 * drops the index (a transaction synchronisation runs after completion), and the next use rebuilds it.
 */
@Component
public class BufferIndexes {
    private final JdbcClient jdbc;
    private final Map<UUID, BufferIndex> indexes = new ConcurrentHashMap<>();

    BufferIndexes(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The experiment's index for a transaction that holds its row lock and may change the buffer. */
    public BufferIndex forUpdate(LockedExperiment experiment) {
        BufferIndex index = indexes.get(experiment.id());
        if (index == null || index.version() != experiment.bufferVersion()) {
            index = load(
                    experiment.id(),
                    experiment.bufferVersion(),
                    experiment.config().bufferSampler() instanceof SoftmaxSampler softmax ? softmax : null);
            indexes.put(experiment.id(), index);
        }
        long next = experiment.bufferVersion() + 1;
        jdbc.sql("UPDATE experiment SET buffer_version = ? WHERE id = ?")
                .param(next)
                .param(experiment.id())
                .update();
        index.setVersion(next);
        forgetOnRollback(experiment.id(), index);
        return index;
    }

    private void forgetOnRollback(UUID experimentId, BufferIndex index) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new IllegalStateException("forUpdate must run inside a transaction holding the experiment's lock");
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                if (status != STATUS_COMMITTED) {
                    indexes.remove(experimentId, index);
                }
            }
        });
    }

    /** Drops an experiment's index (it is rebuilt on next use). */
    public void forget(UUID experimentId) {
        indexes.remove(experimentId);
    }

    private BufferIndex load(UUID experimentId, long version, SoftmaxSampler softmax) {
        var index = new BufferIndex(version, softmax);
        jdbc.sql("""
                SELECT id, score, coalesce(last_sampled_version, 0), leased_until, insertion_seq
                  FROM task_instance
                 WHERE experiment_id = ? AND in_buffer
                 ORDER BY insertion_seq""").param(experimentId).query(rs -> {
            Timestamp leased = rs.getTimestamp(4);
            index.add(
                    rs.getLong(1),
                    rs.getDouble(2),
                    rs.getLong(3),
                    leased == null ? 0 : leased.getTime(),
                    rs.getLong(5));
        });
        return index;
    }
}
