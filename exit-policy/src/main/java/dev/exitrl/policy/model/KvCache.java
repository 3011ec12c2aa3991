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
 * <p>Dimensions: L layers, B batch, Hkv key/value heads, Tmax capacity, Dh head width.
 */
public final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final NDArray[] keys; // L x (B, Hkv, Tmax, Dh)
    private final NDArray[] values; // L x (B, Hkv, Tmax, Dh)
    private final int capacity;

    /** Allocates the cache in its own sub-manager of {@code parent}; close it to free the memory. */
    public KvCache(NDManager parent, ModelConfig config, int batch, int capacity, DataType dtype) {
        this.manager = parent.newSubManager();
        this.capacity = capacity;
        this.keys = new NDArray[config.numLayers()];
        this.values = new NDArray[config.numLayers()];
        Shape shape = new Shape(batch, config.numKvHeads(), capacity, config.headDim());
        for (int l = 0; l < keys.length; l++) {
            keys[l] = manager.zeros(shape, dtype);
            values[l] = manager.zeros(shape, dtype);
        }
    }

    public int capacity() {
        return capacity;
    }

    /** Writes new keys and values at [start, start + S) and returns views of [0, start + S). */
    NDArray[] append(int layer, int start, NDArray k, NDArray v) { // k, v: (B, Hkv, S, Dh)
        int end = start + (int) k.getShape().get(2);
        if (end > capacity) {
            throw new IllegalStateException("KV cache full: " + end + " > capacity " + capacity);
        }
        NDIndex slot = new NDIndex(":, :, {}:{}", start, end);
        keys[layer].set(slot, k);
        values[layer].set(slot, v);
        NDIndex prefix = new NDIndex(":, :, :{}", end);
        NDArray keyView = keys[layer].get(prefix); // (B, Hkv, T, Dh)
        NDArray valueView = values[layer].get(prefix); // (B, Hkv, T, Dh)
        // Views are created in the cache's manager; hand them to the step's manager so each step frees its own.
        keyView.attach(k.getManager());
        valueView.attach(k.getManager());
        return new NDArray[] {keyView, valueView};
    }

    @Override
    public void close() {
        manager.close();
    }
}
