package dev.exitrl.task.space;

import java.util.Arrays;

/**
 * Non-negative weights {@code w_0 .. w_{n-1}} with O(log n) updates, prefix sums and weighted search: a Fenwick
 * (binary indexed) tree. Drawing position i with probability {@code w_i / total} is {@code find(u * total)} for a
 * uniform {@code u} in [0, 1).
 *
 * <p>Updates add differences to the running sums, so rounding drifts into them: the sums are rebuilt from the
 * weights every {@value #REBUILD_EVERY} updates (and whenever the capacity changes).
 */
public final class FenwickTree {
    static final int REBUILD_EVERY = 100_000;

    private double[] weights; // (capacity)
    private double[] tree; // (capacity + 1), 1-based: tree[j] = sum of weights (j - lowbit(j), j]
    private int updatesSinceRebuild;

    public FenwickTree(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        weights = new double[capacity];
        tree = new double[capacity + 1];
    }

    public int capacity() {
        return weights.length;
    }

    public double get(int position) {
        return weights[position];
    }

    /** Sets the weight at {@code position} (non-negative). */
    public void set(int position, double weight) {
        if (!(weight >= 0)) {
            throw new IllegalArgumentException("weight must be >= 0, was " + weight);
        }
        double delta = weight - weights[position];
        weights[position] = weight;
        for (int i = position + 1; i < tree.length; i += i & -i) {
            tree[i] += delta;
        }
        if (++updatesSinceRebuild > REBUILD_EVERY) {
            rebuild();
        }
    }

    /** The sum of the weights at positions {@code [0, count)}. */
    public double prefix(int count) {
        double sum = 0;
        for (int i = count; i > 0; i -= i & -i) {
            sum += tree[i];
        }
        return sum;
    }

    /**
     * The number of leading positions whose weights sum to at most {@code u}: for {@code 0 <= u < total} the position
     * whose cumulative range {@code [prefix(i), prefix(i + 1))} holds {@code u} (never one of weight 0). A {@code u}
     * at or past the total (rounding) gives {@link #capacity()}.
     */
    public int find(double u) {
        int at = 0;
        for (int step = Integer.highestOneBit(tree.length - 1); step > 0; step >>= 1) {
            int next = at + step;
            if (next < tree.length && tree[next] <= u) {
                at = next;
                u -= tree[next];
            }
        }
        return at;
    }

    /** Doubles the capacity until it holds {@code capacity} positions; new positions weigh 0. */
    public void grow(int capacity) {
        if (capacity > weights.length) {
            weights = Arrays.copyOf(weights, Math.max(capacity, 2 * weights.length));
            rebuild();
        }
    }

    /**
     * Moves the weights: position {@code from[k]} goes to {@code k}, and positions from {@code from.length} on weigh
     * 0 (what compacting a sequence with holes needs).
     */
    public void keep(int[] from) {
        double[] moved = new double[weights.length];
        for (int k = 0; k < from.length; k++) {
            moved[k] = weights[from[k]];
        }
        weights = moved;
        rebuild();
    }

    /** The sums from the weights, in O(n): each node adds its full sum to its parent. */
    private void rebuild() {
        updatesSinceRebuild = 0;
        tree = new double[weights.length + 1];
        for (int node = 1; node < tree.length; node++) {
            tree[node] += weights[node - 1];
            int parent = node + (node & -node);
            if (parent < tree.length) {
                tree[parent] += tree[node];
            }
        }
    }
}
