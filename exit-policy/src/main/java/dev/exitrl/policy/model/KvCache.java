package dev.exitrl.policy.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Per-request key/value cache, kept apart from the weights: one preallocated (B, Hkv, Tmax, Dh) key and value
 * array per layer, written in place at the current offset. All rows share the offset because prompts are
 * left-padded.
 *
 * <p>A decode step attends over the whole preallocated cache, not over the written prefix: the additive mask hides
 * slots not yet written, so every step allocates the same shapes and a caching allocator reuses its blocks (a
 * growing prefix gives each step new shapes). Rotary positions are applied to keys before they are cached, so
 * attention does not depend on the slot order; that lets continuous batching write a row's keys anywhere.
 *
 * <p>Dimensions: L layers, B batch, Hkv key/value heads, Tmax capacity, Dh head width.
 */
public final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final NDArray[] keys; // L x (B, Hkv, Dh, Tmax): transposed, as q.k consumes them
    private final NDArray[] values; // L x (B, Hkv, Tmax, Dh)
    private final int capacity;

    /** Allocates the cache in its own sub-manager of {@code parent}; close it to free the memory. */
    public KvCache(NDManager parent, ModelConfig config, int batch, int capacity, DataType dtype) {
        this.manager = parent.newSubManager();
        this.capacity = capacity;
        this.keys = new NDArray[config.numLayers()];
        this.values = new NDArray[config.numLayers()];
        Shape keyShape = new Shape(batch, config.numKvHeads(), config.headDim(), capacity);
        Shape valueShape = new Shape(batch, config.numKvHeads(), capacity, config.headDim());
        for (int l = 0; l < keys.length; l++) {
            keys[l] = manager.zeros(keyShape, dtype);
            values[l] = manager.zeros(valueShape, dtype);
        }
    }

    public int capacity() {
        return capacity;
    }

    /**
     * Writes new keys and values at slots [start, start + S) and returns the first {@code visible} slots: the
     * written prefix at prefill, the cache arrays themselves ({@code visible == capacity}) at a fixed-shape decode
     * step. Callers use the returned arrays only as second operands, so no result lands in the cache's manager.
     */
    NDArray[] append(
            int layer, int start, NDArray kT, NDArray v, int visible) { // kT: (B, Hkv, Dh, S); v: (B, Hkv, S, Dh)
        int end = start + (int) v.getShape().get(2);
        if (end > capacity) {
            throw new IllegalStateException("KV cache full: " + end + " > capacity " + capacity);
        }
        if (visible < end || visible > capacity) {
            throw new IllegalStateException("visible slots " + visible + " outside [" + end + ", " + capacity + "]");
        }
        // "..." instead of leading ":" axes: DJL issues one slice op per named axis, so the ellipsis form writes
        // keys with 1 slice + 1 copy instead of 4 + 1 (values 2 + 1 instead of 3 + 1), per layer and step.
        keys[layer].set(new NDIndex("..., {}:{}", start, end), kT);
        values[layer].set(new NDIndex("..., {}:{}, :", start, end), v);
        if (visible == capacity) {
            return new NDArray[] {keys[layer], values[layer]}; // (B, Hkv, Dh, Tmax), (B, Hkv, Tmax, Dh)
        }
        NDArray keyView = keys[layer].get(new NDIndex("..., :{}", visible)); // (B, Hkv, Dh, T)
        NDArray valueView = values[layer].get(new NDIndex("..., :{}, :", visible)); // (B, Hkv, T, Dh)
        // Views are created in the cache's manager; hand them to the step's manager so each step frees its own.
        keyView.attach(v.getManager());
        valueView.attach(v.getManager());
        return new NDArray[] {keyView, valueView};
    }

    /**
     * Copies {@code length} slots of row {@code fromRow} of another cache, starting at slot {@code fromStart}, into
     * row {@code toRow} of this one at slots [toStart, toStart + length), wrapping around the end of this cache (it is
     * used as a ring by continuous batching, where a prefilled prompt moves into a decoding batch's free row).
     */
    public void copyRow(KvCache from, int fromRow, int fromStart, int toRow, int toStart, int length) {
        if (length > capacity) {
            throw new IllegalArgumentException("cannot copy " + length + " slots into a ring of " + capacity);
        }
        int first = Math.min(length, capacity - toStart); // slots before the ring wraps
        for (int l = 0; l < keys.length; l++) {
            copy(from, l, fromRow, fromStart, toRow, toStart, first);
            if (first < length) {
                copy(from, l, fromRow, fromStart + first, toRow, 0, length - first);
            }
        }
    }

    private void copy(KvCache from, int layer, int fromRow, int fromStart, int toRow, int toStart, int length) {
        try (NDArray k = from.keys[layer].get(new NDIndex("{}, :, :, {}:{}", fromRow, fromStart, fromStart + length));
                NDArray v =
                        from.values[layer].get(new NDIndex("{}, :, {}:{}", fromRow, fromStart, fromStart + length))) {
            keys[layer].set(new NDIndex("{}, :, :, {}:{}", toRow, toStart, toStart + length), k); // (Hkv, Dh, len)
            values[layer].set(new NDIndex("{}, :, {}:{}", toRow, toStart, toStart + length), v); // (Hkv, len, Dh)
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
