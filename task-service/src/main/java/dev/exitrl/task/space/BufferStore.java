package dev.exitrl.task.space;

import dev.exitrl.core.buffer.BufferPolicy;
import dev.exitrl.core.buffer.InMemoryBuffer.OfferResult;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The buffer in PostgreSQL: exit-core's {@link BufferPolicy} applied to {@code task_instance} rows. Its
 * semantics are exit-core's reference ({@code InMemoryBuffer}), step for step: admission below capacity, replace
 * the minimum at capacity when the new score is {@code >=} it, evict the oldest insertion among equal minima,
 * ignore offers of stored instances, re-score stored parents in place. Callers hold the experiment's row lock,
 * so decisions are made one at a time.
 */
@Component
public class BufferStore {
    private final JdbcClient jdbc;

    BufferStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Buffer operations of one transaction; {@link #close()} writes the size back to the experiment row. */
    public final class Session implements AutoCloseable {
        private final UUID experimentId;
        private final int capacity;
        private final int initialSize;
        private int size;

        private final BufferIndex index;

        private Session(LockedExperiment experiment, BufferIndex index) {
            this.index = index;
            this.experimentId = experiment.id();
            this.capacity = experiment.config().bufferCapacity();
            this.initialSize = experiment.bufferSize();
            this.size = experiment.bufferSize();
        }

        public int size() {
            return size;
        }

        /** Offers a stored instance row as a new buffer item with {@code score}, inserted at {@code version}. */
        public OfferResult offer(long instanceId, double score, long version) {
            var row = jdbc.sql("SELECT in_buffer, leased_until FROM task_instance WHERE id = ?").param(instanceId)
                    .query((rs, n) -> new Row(rs.getBoolean(1), rs.getTimestamp(2))).single();
            if (row.inBuffer()) return OfferResult.ALREADY_STORED;
            double min = size < capacity ? Double.NaN : minimum().score();
            var admission = BufferPolicy.admit(size, capacity, min, score);
            switch (admission) {
                case REJECT -> {
                    // Not admitted; the row keeps the score it was offered with, for lineage views.
                    jdbc.sql("UPDATE task_instance SET score = ? WHERE id = ?").param(score).param(instanceId).update();
                    return OfferResult.REJECTED;
                }
                case REPLACE_MIN -> {
                    long victim = minimum().id();
                    jdbc.sql("UPDATE task_instance SET in_buffer = false WHERE id = ?").param(victim).update();
                    index.remove(victim);
                }
                case ADD -> size++;
            }
            jdbc.sql("""
                    UPDATE task_instance
                       SET in_buffer = true, score = ?, insertion_seq = nextval('buffer_insertion_seq'),
                           last_sampled_version = ?
                     WHERE id = ?""").param(score).param(version).param(instanceId).update();
            index.add(instanceId, score, version, row.leasedUntil() == null ? 0 : row.leasedUntil().getTime());
            return admission == BufferPolicy.Admission.ADD ? OfferResult.ADDED : OfferResult.REPLACED_MIN;
        }

        /** Re-scores a parent: in place when stored, otherwise offered as new. */
        public OfferResult rescore(long instanceId, double score, long version) {
            int updated = jdbc.sql("UPDATE task_instance SET score = ? WHERE id = ? AND in_buffer")
                    .param(score).param(instanceId).update();
            if (updated == 0) return offer(instanceId, score, version);
            index.setScore(instanceId, score);
            return OfferResult.ALREADY_STORED;
        }

        private Victim minimum() {
            return jdbc.sql("""
                    SELECT id, score FROM task_instance
                     WHERE experiment_id = ? AND in_buffer
                     ORDER BY score, insertion_seq
                     LIMIT 1""").param(experimentId)
                    .query((rs, n) -> new Victim(rs.getLong(1), rs.getDouble(2))).single();
        }

        @Override
        public void close() {
            if (size != initialSize) {
                jdbc.sql("UPDATE experiment SET buffer_size = ? WHERE id = ?").param(size).param(experimentId).update();
            }
        }
    }

    private record Victim(long id, double score) {}

    private record Row(boolean inBuffer, java.sql.Timestamp leasedUntil) {}

    /**
     * Starts buffer operations for an experiment whose row the caller has locked; {@code index} is the
     * transaction's {@link BufferIndexes#forUpdate} index, kept in step with every change.
     */
    public Session open(LockedExperiment experiment, BufferIndex index) {
        return new Session(experiment, index);
    }
}
