package dev.exitrl.task.space;

import dev.exitrl.core.buffer.BufferPolicy;
import dev.exitrl.core.buffer.InMemoryBuffer.OfferResult;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The buffer in PostgreSQL: exit-core's {@link BufferPolicy} applied to {@code task_instance} rows. Its
 * semantics are exit-core's reference ({@code InMemoryBuffer}), step for step: admission below capacity, replace
 * the minimum at capacity when the new score is {@code >=} it, evict the oldest insertion among equal minima,
 * ignore offers of stored instances, re-score stored parents in place.
 *
 * <p>Decisions are made on the experiment's {@link BufferIndex} (an exact mirror of the committed buffer, valid
 * while the caller holds the experiment's row lock), and the rows are written once, when the session closes, in
 * a single statement: a group's parent and children cost one round trip instead of several per child.
 */
@Component
public class BufferStore {
    private static final int SEQUENCE_BLOCK = 32;
    private final JdbcClient jdbc;

    BufferStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Buffer operations of one transaction; {@link #close()} writes every changed row. The buffer's size is the
     * mirror's ({@link BufferIndex#size()}), so no counter is kept in the table.
     */
    public final class Session implements AutoCloseable {
        private final int capacity;
        private final BufferIndex index;
        /** Final state of every row this session touched, in the order touched. */
        private final Map<Long, Pending> pending = new LinkedHashMap<>();

        private final ArrayDeque<Long> reservedSeqs = new ArrayDeque<>();

        private Session(LockedExperiment experiment, BufferIndex index) {
            this.index = index;
            this.capacity = experiment.config().bufferCapacity();
        }

        public int size() {
            return index.size();
        }

        /**
         * Offers a stored instance row as a new buffer item with {@code score}, inserted at {@code version};
         * {@code leasedUntilMillis} is the row's current lease expiry (0 when not leased).
         */
        public OfferResult offer(long instanceId, double score, long version, long leasedUntilMillis) {
            if (index.contains(instanceId)) {
                return OfferResult.ALREADY_STORED;
            }
            double min = index.size() < capacity ? Double.NaN : index.minimum().score();
            var admission = BufferPolicy.admit(index.size(), capacity, min, score);
            switch (admission) {
                case REJECT -> {
                    // Not admitted; the row keeps the score it was offered with, for lineage views.
                    pending.put(instanceId, new Pending(false, score, null, null));
                    return OfferResult.REJECTED;
                }
                case REPLACE_MIN -> {
                    var victim = index.minimum();
                    index.remove(victim.id());
                    Pending before = pending.get(victim.id());
                    pending.put(
                            victim.id(),
                            before == null
                                    ? new Pending(false, victim.score(), null, null)
                                    : new Pending(false, before.score(), before.seq(), before.version()));
                }
                case ADD -> {}
            }
            long seq = nextSeq();
            index.add(instanceId, score, version, leasedUntilMillis, seq);
            pending.put(instanceId, new Pending(true, score, seq, version));
            return admission == BufferPolicy.Admission.ADD ? OfferResult.ADDED : OfferResult.REPLACED_MIN;
        }

        /** Re-scores a parent: in place when stored, otherwise offered as new. */
        public OfferResult rescore(long instanceId, double score, long version, long leasedUntilMillis) {
            if (!index.contains(instanceId)) {
                return offer(instanceId, score, version, leasedUntilMillis);
            }
            index.setScore(instanceId, score);
            Pending before = pending.get(instanceId);
            pending.put(
                    instanceId,
                    before == null
                            ? new Pending(true, score, null, null)
                            : new Pending(true, score, before.seq(), before.version()));
            return OfferResult.ALREADY_STORED;
        }

        private long nextSeq() {
            if (reservedSeqs.isEmpty()) {
                jdbc.sql("SELECT nextval('buffer_insertion_seq') FROM generate_series(1, ?) ORDER BY 1")
                        .param(SEQUENCE_BLOCK)
                        .query(Long.class)
                        .list()
                        .forEach(reservedSeqs::add);
            }
            return reservedSeqs.removeFirst();
        }

        @Override
        public void close() {
            if (!pending.isEmpty()) {
                int n = pending.size();
                Long[] ids = new Long[n];
                Boolean[] inBuffer = new Boolean[n];
                Double[] scores = new Double[n];
                Long[] seqs = new Long[n];
                Long[] versions = new Long[n];
                int i = 0;
                for (var e : pending.entrySet()) {
                    ids[i] = e.getKey();
                    inBuffer[i] = e.getValue().inBuffer();
                    scores[i] = e.getValue().score();
                    seqs[i] = e.getValue().seq();
                    versions[i] = e.getValue().version();
                    i++;
                }
                jdbc.sql("""
                        UPDATE task_instance t
                           SET in_buffer = u.in_buffer, score = u.score,
                               insertion_seq = coalesce(u.seq, t.insertion_seq),
                               last_sampled_version = coalesce(u.version, t.last_sampled_version)
                          FROM unnest(?::bigint[], ?::boolean[], ?::float8[], ?::bigint[], ?::bigint[])
                               AS u(id, in_buffer, score, seq, version)
                         WHERE t.id = u.id""")
                        .param(ids)
                        .param(inBuffer)
                        .param(scores)
                        .param(seqs)
                        .param(versions)
                        .update();
            }
        }
    }

    /**
     * A touched row's final state: membership, score, and (when it entered the buffer in this session) its
     * insertion sequence and initial last-sampled version.
     */
    private record Pending(boolean inBuffer, double score, Long seq, Long version) {}

    /**
     * Starts buffer operations for an experiment whose row the caller has locked; {@code index} is the
     * transaction's {@link BufferIndexes#forUpdate} index, which this session keeps in step with every change.
     */
    public Session open(LockedExperiment experiment, BufferIndex index) {
        return new Session(experiment, index);
    }
}
