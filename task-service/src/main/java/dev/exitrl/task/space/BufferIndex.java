package dev.exitrl.task.space;

import dev.exitrl.core.buffer.BufferPolicy;
import dev.exitrl.core.sampling.Candidate;
import dev.exitrl.core.sampling.SoftmaxSampler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * An in-memory mirror of one experiment's buffer, for sampling without reading every buffered row per lease.
 * Holds, per buffered instance in insertion order (the order a table scan by {@code insertion_seq} gives): id,
 * score, last sampled policy version and lease expiry. Removals leave tombstones that are compacted away, so the
 * order never changes and sampling makes the same choices as a fresh scan would.
 *
 * <p>The eviction order (exit-core's {@link BufferPolicy#compareForEviction}) is kept in an {@link IndexedMinHeap} of
 * positions. For the paper's softmax sampler each item's weight ({@link SoftmaxSampler#weight}) is kept in a
 * {@link FenwickTree}, so a lease draws each slot in O(log N) instead of computing the whole distribution
 * ({@link #drawFree}).
 *
 * <p>Consistency: it is read and changed only by transactions that hold the experiment's row lock. Each such
 * transaction bumps {@code experiment.buffer_version} and the index's {@link #version()} together; a rolled-back
 * transaction leaves the row's version behind the index's, and the next reader rebuilds the index from the table.
 * Not thread-safe by itself: the row lock serialises its users.
 */
public final class BufferIndex {
    static final int MAX_REJECTIONS = 64;

    private long version;
    private long[] ids = new long[16];
    private double[] scores = new double[16];
    private long[] lastSampled = new long[16];
    private long[] leasedUntilMillis = new long[16];
    private long[] insertionSeqs = new long[16];
    private boolean[] alive = new boolean[16];
    private int length;
    private int live;
    private final LongIntMap positions = new LongIntMap();
    /** Positions in eviction order: the next victim first. */
    private final IndexedMinHeap eviction = new IndexedMinHeap(
            16, (a, b) -> BufferPolicy.compareForEviction(scores[a], insertionSeqs[a], scores[b], insertionSeqs[b]));

    /**
     * The softmax sampler, or null when the experiment samples otherwise (rank sampler): then no weights are kept
     * and leases take the exact O(N) path.
     */
    private final SoftmaxSampler softmax;
    /** Softmax weights per position (0 for removed items); null without the softmax sampler. */
    private final FenwickTree weights;

    public BufferIndex(long version, SoftmaxSampler softmax) {
        this.version = version;
        this.softmax = softmax;
        this.weights = softmax == null ? null : new FenwickTree(16);
    }

    /** True when this index keeps softmax weights and can draw in O(log N). */
    public boolean drawsSoftmax() {
        return softmax != null;
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

    /** An item's place in the eviction order, and its id. */
    public record Key(double score, long insertionSeq, long id) {}

    /** The next victim: the first item in exit-core's eviction order. */
    public Key minimum() {
        int at = eviction.min();
        return new Key(scores[at], insertionSeqs[at], ids[at]);
    }

    /** Appends an instance that entered the buffer with {@code insertionSeq} (larger than any indexed one). */
    public void add(long id, double score, long lastSampledVersion, long leasedUntil, long insertionSeq) {
        if (positions.containsKey(id)) {
            throw new IllegalStateException("instance " + id + " is indexed already");
        }
        if (length > 0 && insertionSeq <= insertionSeqs[length - 1]) {
            throw new IllegalStateException(
                    "insertion sequence " + insertionSeq + " is not after " + insertionSeqs[length - 1]);
        }
        if (length == ids.length) {
            grow();
        }
        ids[length] = id;
        scores[length] = score;
        insertionSeqs[length] = insertionSeq;
        eviction.add(length);
        setWeight(length, score);
        lastSampled[length] = lastSampledVersion;
        leasedUntilMillis[length] = leasedUntil;
        alive[length] = true;
        positions.put(id, length);
        length++;
        live++;
    }

    public void remove(long id) {
        int at = positions.remove(id);
        if (at == LongIntMap.MISSING) {
            return;
        }
        eviction.remove(at);
        alive[at] = false;
        if (weights != null) {
            weights.set(at, 0);
        }
        live--;
        if (length > 64 && live < length / 2) {
            compact();
        }
    }

    public void setScore(long id, double score) {
        int at = positions.get(id);
        if (at == LongIntMap.MISSING) {
            return;
        }
        scores[at] = score;
        eviction.update(at);
        setWeight(at, score);
    }

    public void markSampled(long id, long policyVersion) {
        int at = positions.get(id);
        if (at != LongIntMap.MISSING) {
            lastSampled[at] = policyVersion;
        }
    }

    public void setLeasedUntil(long id, long epochMillis) {
        int at = positions.get(id);
        if (at != LongIntMap.MISSING) {
            leasedUntilMillis[at] = epochMillis;
        }
    }

    public boolean contains(long id) {
        return positions.containsKey(id);
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

    /**
     * Draws one free buffer item (not leased at {@code nowMillis}, not in {@code taken}) with probability
     * proportional to its softmax weight: exactly the softmax sampler over the free items, drawn as exit-core's
     * reference {@code BatchPlanner} does. An O(log N) search of the weight tree, with rejection of leased or taken
     * items; after {@value #MAX_REJECTIONS} rejections one exact O(N) draw over the free items instead. Returns -1
     * when no free item has weight.
     */
    public long drawFree(RandomGenerator random, long nowMillis, Set<Long> taken) {
        if (weights == null) {
            throw new IllegalStateException("this index keeps no softmax weights");
        }
        double total = weights.prefix(length);
        if (total > 0) {
            for (int attempt = 0; attempt < MAX_REJECTIONS; attempt++) {
                int at = Math.min(weights.find(random.nextDouble() * total), length - 1);
                if (alive[at] && leasedUntilMillis[at] < nowMillis && !taken.contains(ids[at])) {
                    return ids[at];
                }
            }
        }
        double free = 0;
        for (int i = 0; i < length; i++) {
            if (alive[i] && leasedUntilMillis[i] < nowMillis && !taken.contains(ids[i])) {
                free += weights.get(i);
            }
        }
        if (!(free > 0)) {
            return -1;
        }
        double u = random.nextDouble() * free;
        long last = -1;
        for (int i = 0; i < length; i++) {
            double weight = weights.get(i);
            if (!alive[i] || leasedUntilMillis[i] >= nowMillis || taken.contains(ids[i]) || weight <= 0) {
                continue;
            }
            last = ids[i];
            u -= weight;
            if (u < 0) {
                return ids[i];
            }
        }
        return last; // rounding left a hair of mass: it belongs to the last free item
    }

    private void setWeight(int at, double score) {
        if (weights != null) {
            weights.set(at, softmax.weight(score));
        }
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
        eviction.grow(capacity);
        if (weights != null) {
            weights.grow(capacity);
        }
    }

    /** Drops the tombstones: positions move down, the order of the items stays. */
    private void compact() {
        int[] kept = new int[live];
        int to = 0;
        for (int from = 0; from < length; from++) {
            if (!alive[from]) {
                continue;
            }
            kept[to] = from;
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
        if (weights != null) {
            weights.keep(kept);
        }
        eviction.resetTo(length); // positions moved: heapify them again (O(N))
    }
}
