package dev.exitrl.task.space;

import java.util.Arrays;

/**
 * A binary min-heap of the ints {@code 0 .. capacity-1} (handles into the caller's arrays) under a caller's order,
 * which also knows where each element sits: the minimum in O(1), and adding, removing or re-ordering any element
 * (after its key changed) in O(log n).
 */
public final class IndexedMinHeap {
    /** The order of two elements: negative when {@code a} comes first. */
    @FunctionalInterface
    public interface Order {
        int compare(int a, int b);
    }

    private static final int ABSENT = -1;

    private final Order order;
    private int[] heap; // (capacity) elements, heap-ordered in [0, size)
    private int[] slot; // (capacity) where each element sits in heap, ABSENT if not in it
    private int size;

    public IndexedMinHeap(int capacity, Order order) {
        this.order = order;
        heap = new int[capacity];
        slot = new int[capacity];
        Arrays.fill(slot, ABSENT);
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public boolean contains(int element) {
        return element >= 0 && element < slot.length && slot[element] != ABSENT;
    }

    /** The first element in the order. */
    public int min() {
        if (size == 0) {
            throw new IllegalStateException("the heap is empty");
        }
        return heap[0];
    }

    public void add(int element) {
        if (element >= heap.length) {
            grow(element + 1);
        }
        if (slot[element] != ABSENT) {
            throw new IllegalStateException("element " + element + " is in the heap already");
        }
        heap[size] = element;
        slot[element] = size;
        siftUp(size++);
    }

    /** Removes {@code element}; absent elements are ignored. */
    public void remove(int element) {
        if (!contains(element)) {
            return;
        }
        int hole = slot[element];
        slot[element] = ABSENT;
        int last = heap[--size];
        if (hole < size) {
            heap[hole] = last;
            slot[last] = hole;
            siftDown(siftUp(hole));
        }
    }

    /** Restores the order after {@code element}'s key changed. */
    public void update(int element) {
        if (contains(element)) {
            siftDown(siftUp(slot[element]));
        }
    }

    /** Replaces the content with the elements {@code 0 .. count-1}, heap-ordered in O(count). */
    public void resetTo(int count) {
        if (count > heap.length) {
            grow(count);
        }
        Arrays.fill(slot, ABSENT);
        size = count;
        for (int i = 0; i < count; i++) {
            heap[i] = i;
            slot[i] = i;
        }
        for (int i = size / 2 - 1; i >= 0; i--) {
            siftDown(i);
        }
    }

    /** Makes room for the elements {@code 0 .. capacity-1} (doubling). */
    public void grow(int capacity) {
        if (capacity <= heap.length) {
            return;
        }
        int old = heap.length;
        int grown = Math.max(capacity, 2 * old);
        heap = Arrays.copyOf(heap, grown);
        slot = Arrays.copyOf(slot, grown);
        Arrays.fill(slot, old, grown, ABSENT);
    }

    private int siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (order.compare(heap[i], heap[parent]) >= 0) {
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
            if (left < size && order.compare(heap[left], heap[smallest]) < 0) {
                smallest = left;
            }
            if (right < size && order.compare(heap[right], heap[smallest]) < 0) {
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
        slot[b] = i;
        slot[a] = j;
    }
}
