package dev.exitrl.task.space;

import dev.exitrl.core.sampling.Candidate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-memory mirror of one experiment's buffer, for sampling without reading every buffered row per lease.
 * Holds, per buffered instance in insertion order (the order a table scan by {@code insertion_seq} gives): id,
 * score, last sampled policy version and lease expiry. Removals leave tombstones that are compacted away, so the
 * order never changes and sampling makes the same choices as a fresh scan would.
 *
 * <p>Consistency: it is read and changed only by transactions that hold the experiment's row lock. Each such
 * transaction bumps {@code experiment.buffer_version} and the index's {@link #version()} together; a rolled-back
 * transaction leaves the row's version behind the index's, and the next reader rebuilds the index from the table.
 * Not thread-safe by itself: the row lock serialises its users.
 */
public final class BufferIndex {
    private long version;
    private long[] ids = new long[16];
    private double[] scores = new double[16];
    private long[] lastSampled = new long[16];
    private long[] leasedUntilMillis = new long[16];
    private long[] insertionSeqs = new long[16];
    private boolean[] alive = new boolean[16];
    /** Eviction order: lowest score first, then oldest insertion (exit-core's BufferPolicy.EVICTION_ORDER). */
    private final java.util.TreeSet<Key> evictionOrder = new java.util.TreeSet<>();
    private int length;
    private int live;
    private final Map<Long, Integer> positions = new HashMap<>();

    BufferIndex(long version) {
        this.version = version;
    }

    public long version() {
        return version;
    }

    void setVersion(long version) {
        this.version = version;
    }

    public int size() {
        return live;
    }

    /** An item's place in the eviction order. */
    public record Key(double score, long insertionSeq, long id) implements Comparable<Key> {
        @Override
        public int compareTo(Key other) {
            int byScore = Double.compare(score, other.score);
            return byScore != 0 ? byScore : Long.compare(insertionSeq, other.insertionSeq);
        }
    }

    /** The next victim: the lowest score, the oldest insertion among equals. */
    public Key minimum() {
        return evictionOrder.first();
    }

    /** Appends an instance that entered the buffer with {@code insertionSeq} (larger than any indexed one). */
    public void add(long id, double score, long lastSampledVersion, long leasedUntil, long insertionSeq) {
        if (positions.containsKey(id)) throw new IllegalStateException("instance " + id + " is indexed already");
        if (length > 0 && insertionSeq <= insertionSeqs[length - 1]) {
            throw new IllegalStateException("insertion sequence " + insertionSeq + " is not after " + insertionSeqs[length - 1]);
        }
        if (length == ids.length) grow();
        ids[length] = id;
        scores[length] = score;
        insertionSeqs[length] = insertionSeq;
        evictionOrder.add(new Key(score, insertionSeq, id));
        lastSampled[length] = lastSampledVersion;
        leasedUntilMillis[length] = leasedUntil;
        alive[length] = true;
        positions.put(id, length);
        length++;
        live++;
    }

    public void remove(long id) {
        Integer at = positions.remove(id);
        if (at == null) return;
        evictionOrder.remove(new Key(scores[at], insertionSeqs[at], id));
        alive[at] = false;
        live--;
        if (length > 64 && live < length / 2) compact();
    }

    public void setScore(long id, double score) {
        Integer at = positions.get(id);
        if (at == null) return;
        evictionOrder.remove(new Key(scores[at], insertionSeqs[at], id));
        scores[at] = score;
        evictionOrder.add(new Key(score, insertionSeqs[at], id));
    }

    public void markSampled(long id, long policyVersion) {
        Integer at = positions.get(id);
        if (at != null) lastSampled[at] = policyVersion;
    }

    public void setLeasedUntil(long id, long epochMillis) {
        Integer at = positions.get(id);
        if (at != null) leasedUntilMillis[at] = epochMillis;
    }

    public boolean contains(long id) {
        return positions.containsKey(id);
    }

    /** The indexed score of a buffered instance. */
    public double score(long id) {
        return scores[positions.get(id)];
    }

    /** Buffered instances not leased at {@code nowMillis}, in insertion order: ids and what the sampler sees. */
    public FreeItems free(long nowMillis) {
        var ids = new ArrayList<Long>(live);
        var candidates = new ArrayList<Candidate>(live);
        for (int i = 0; i < length; i++) {
            if (alive[i] && leasedUntilMillis[i] < nowMillis) {
                ids.add(this.ids[i]);
                candidates.add(new Candidate(scores[i], lastSampled[i]));
            }
        }
        return new FreeItems(ids, candidates);
    }

    /** The free buffer items of a lease, aligned index by index. */
    public record FreeItems(List<Long> ids, List<Candidate> candidates) {
        public static FreeItems none() {
            return new FreeItems(List.of(), List.of());
        }
    }

    private void grow() {
        int capacity = ids.length * 2;
        ids = Arrays.copyOf(ids, capacity);
        scores = Arrays.copyOf(scores, capacity);
        lastSampled = Arrays.copyOf(lastSampled, capacity);
        leasedUntilMillis = Arrays.copyOf(leasedUntilMillis, capacity);
        insertionSeqs = Arrays.copyOf(insertionSeqs, capacity);
        alive = Arrays.copyOf(alive, capacity);
    }

    private void compact() {
        int to = 0;
        for (int from = 0; from < length; from++) {
            if (!alive[from]) continue;
            ids[to] = ids[from];
            scores[to] = scores[from];
            lastSampled[to] = lastSampled[from];
            leasedUntilMillis[to] = leasedUntilMillis[from];
            insertionSeqs[to] = insertionSeqs[from];
            alive[to] = true;
            positions.put(ids[to], to);
            to++;
        }
        Arrays.fill(alive, to, length, false);
        length = to;
    }
}
