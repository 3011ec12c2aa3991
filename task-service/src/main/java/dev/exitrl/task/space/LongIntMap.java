package dev.exitrl.task.space;

import java.util.Arrays;

/**
 * A map from long keys to non-negative int values with open addressing (linear probing, backward-shift deletion):
 * about 12 bytes an entry instead of the ~70 of a {@code HashMap<Long, Integer>}, which matters for a buffer
 * mirror of a million items.
 */
final class LongIntMap {
    static final int MISSING = -1;

    private long[] keys = new long[16];
    private int[] values = new int[16];
    private boolean[] used = new boolean[16];
    private int size;

    int size() {
        return size;
    }

    int get(long key) {
        for (int i = slot(key); used[i]; i = next(i)) {
            if (keys[i] == key) {
                return values[i];
            }
        }
        return MISSING;
    }

    boolean containsKey(long key) {
        return get(key) != MISSING;
    }

    void put(long key, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("values are non-negative, was " + value);
        }
        if ((size + 1) * 4 > keys.length * 3) {
            resize(keys.length * 2);
        }
        int i = slot(key);
        while (used[i]) {
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
            i = next(i);
        }
        used[i] = true;
        keys[i] = key;
        values[i] = value;
        size++;
    }

    /** Removes the key; returns its value, or {@link #MISSING}. */
    int remove(long key) {
        int i = slot(key);
        while (used[i] && keys[i] != key) {
            i = next(i);
        }
        if (!used[i]) {
            return MISSING;
        }
        int removed = values[i];
        // Backward-shift deletion: move later entries of the probe run into the hole so lookups never stop early.
        int hole = i;
        for (int j = next(hole); used[j]; j = next(j)) {
            int home = slot(keys[j]);
            boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
            if (movable) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        used[hole] = false;
        size--;
        return removed;
    }

    void clear() {
        Arrays.fill(used, false);
        size = 0;
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 32) & (keys.length - 1);
    }

    private int next(int i) {
        return (i + 1) & (keys.length - 1);
    }

    private void resize(int capacity) {
        long[] oldKeys = keys;
        int[] oldValues = values;
        boolean[] oldUsed = used;
        keys = new long[capacity];
        values = new int[capacity];
        used = new boolean[capacity];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldUsed[i]) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }
}
