package dev.exitrl.task.space;

import dev.exitrl.core.sampling.Candidate;
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
 * <p>For the paper's softmax sampler it also keeps each item's weight {@code exp(kappa S)} in a Fenwick tree, so a
 * lease draws each slot in O(log N) instead of computing the whole distribution ({@link #drawFree}).
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
    /**
     * Eviction order as a binary min-heap of positions, lowest score first, then oldest insertion (exit-core's
     * BufferPolicy.EVICTION_ORDER); {@code heapIndex[position]} is where a position sits in the heap.
     */
    private int[] heap = new int[16];

    private int[] heapIndex = new int[16];
    private int heapSize;
    private int length;
    private int live;
    private final LongIntMap positions = new LongIntMap();

    /**
     * The softmax sampler's inverse temperature, or NaN when the experiment samples otherwise (rank sampler):
     * then no weight tree is kept and leases take the exact O(N) path.
     */
    private final double kappa;
    /** Softmax weights {@code exp(kappa (S - 0.25))} per position (0 for removed items), {@code (capacity)}. */
    private double[] weights = new double[16];
    /** Fenwick tree over {@link #weights}, 1-based, {@code (capacity + 1)}. */
    private double[] tree = new double[17];

    private int updatesSinceRebuild;

    BufferIndex(long version, double kappa) {
        this.version = version;
        this.kappa = kappa;
    }

    /** True when this index keeps softmax weights and can draw in O(log N). */
    public boolean drawsSoftmax() {
        return !Double.isNaN(kappa);
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
        if (heapSize == 0) {
            throw new IllegalStateException("the buffer is empty");
        }
        int at = heap[0];
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
        heap[heapSize] = length;
        heapIndex[length] = heapSize;
        siftUp(heapSize++);
        setWeight(length, weightOf(score));
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
        int hole = heapIndex[at];
        int last = heap[--heapSize];
        if (hole < heapSize) {
            heap[hole] = last;
            heapIndex[last] = hole;
            siftDown(siftUp(hole));
        }
        alive[at] = false;
        setWeight(at, 0);
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
        siftDown(siftUp(heapIndex[at]));
        setWeight(at, weightOf(score));
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
     * proportional to {@code exp(kappa S)}: exactly the softmax sampler over the free items. An O(log N) descent
     * of the weight tree, with rejection of leased or taken items; after {@value #MAX_REJECTIONS} rejections one
     * exact O(N) draw over the free items instead. Returns -1 when no free item has weight.
     */
    public long drawFree(RandomGenerator random, long nowMillis, Set<Long> taken) {
        if (!drawsSoftmax()) {
            throw new IllegalStateException("this index keeps no softmax weights");
        }
        double total = prefix(length);
        if (total > 0) {
            for (int attempt = 0; attempt < MAX_REJECTIONS; attempt++) {
                int at = find(random.nextDouble() * total);
                if (alive[at] && leasedUntilMillis[at] < nowMillis && !taken.contains(ids[at])) {
                    return ids[at];
                }
            }
        }
        double free = 0;
        for (int i = 0; i < length; i++) {
            if (alive[i] && leasedUntilMillis[i] < nowMillis && !taken.contains(ids[i])) {
                free += weights[i];
            }
        }
        if (!(free > 0)) {
            return -1;
        }
        double u = random.nextDouble() * free;
        long last = -1;
        for (int i = 0; i < length; i++) {
            if (!alive[i] || leasedUntilMillis[i] >= nowMillis || taken.contains(ids[i]) || weights[i] <= 0) {
                continue;
            }
            last = ids[i];
            u -= weights[i];
            if (u < 0) {
                return ids[i];
            }
        }
        return last; // rounding left a hair of mass: it belongs to the last free item
    }

    static final int MAX_REJECTIONS = 64;
    /** True when position a leaves the buffer before position b: lower score, then older insertion. */
    private boolean before(int a, int b) {
        int byScore = Double.compare(scores[a], scores[b]);
        return byScore != 0 ? byScore < 0 : insertionSeqs[a] < insertionSeqs[b];
    }

    private int siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(heap[i], heap[parent])) {
                break;
            }
            swap(i, parent);
            i = parent;
        }
        return i;
    }

    private void siftDown(int i) {
        while (true) {
            int smallest = i;
            int left = 2 * i + 1;
            int right = left + 1;
            if (left < heapSize && before(heap[left], heap[smallest])) {
                smallest = left;
            }
            if (right < heapSize && before(heap[right], heap[smallest])) {
                smallest = right;
            }
            if (smallest == i) {
                return;
            }
            swap(i, smallest);
            i = smallest;
        }
    }

    private void swap(int i, int j) {
        int a = heap[i];
        int b = heap[j];
        heap[i] = b;
        heap[j] = a;
        heapIndex[b] = i;
        heapIndex[a] = j;
    }

    /** Learnability scores are population variances of qualities in [0, 1], so at most 0.25. */
    private static final double MAX_SCORE = 0.25;

    private double weightOf(double score) {
        return drawsSoftmax() ? Math.exp(kappa * (score - MAX_SCORE)) : 0;
    }

    private void setWeight(int at, double weight) {
        if (!drawsSoftmax()) {
            return;
        }
        double delta = weight - weights[at];
        weights[at] = weight;
        for (int i = at + 1; i < tree.length; i += i & -i) {
            tree[i] += delta;
        }
        // Adding and subtracting deltas lets rounding drift into the sums: rebuild them now and then.
        if (++updatesSinceRebuild > 100_000) {
            rebuildTree();
        }
    }

    private void rebuildTree() {
        updatesSinceRebuild = 0;
        if (!drawsSoftmax()) {
            return;
        }
        tree = new double[weights.length + 1];
        for (int i = 0; i < length; i++) {
            int node = i + 1;
            tree[node] += weights[i];
            int parent = node + (node & -node);
            if (parent < tree.length) {
                tree[parent] += tree[node];
            }
        }
    }

    /** Sum of the weights at positions {@code [0, count)}. */
    private double prefix(int count) {
        double sum = 0;
        for (int i = count; i > 0; i -= i & -i) {
            sum += tree[i];
        }
        return sum;
    }

    /** The position whose cumulative weight range holds {@code u}. */
    private int find(double u) {
        int at = 0;
        for (int step = Integer.highestOneBit(tree.length - 1); step > 0; step >>= 1) {
            int next = at + step;
            if (next < tree.length && tree[next] <= u) {
                at = next;
                u -= tree[next];
            }
        }
        return Math.min(at, length - 1); // at = number of positions wholly below u
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
        weights = Arrays.copyOf(weights, capacity);
        heap = Arrays.copyOf(heap, capacity);
        heapIndex = Arrays.copyOf(heapIndex, capacity);
        rebuildTree();
    }

    private void compact() {
        int to = 0;
        for (int from = 0; from < length; from++) {
            if (!alive[from]) {
                continue;
            }
            ids[to] = ids[from];
            scores[to] = scores[from];
            lastSampled[to] = lastSampled[from];
            leasedUntilMillis[to] = leasedUntilMillis[from];
            insertionSeqs[to] = insertionSeqs[from];
            weights[to] = weights[from];
            alive[to] = true;
            positions.put(ids[to], to);
            to++;
        }
        Arrays.fill(alive, to, length, false);
        Arrays.fill(weights, to, length, 0);
        length = to;
        rebuildTree();
        // Positions moved: heapify them again (O(N)).
        heapSize = length;
        for (int i = 0; i < length; i++) {
            heap[i] = i;
            heapIndex[i] = i;
        }
        for (int i = heapSize / 2 - 1; i >= 0; i--) {
            siftDown(i);
        }
    }
}
