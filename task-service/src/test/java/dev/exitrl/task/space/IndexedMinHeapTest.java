package dev.exitrl.task.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Property tests against a naive reference (a set scanned for its minimum): after every random insert, key update and
 * removal the heap's minimum, size and membership agree, and draining it yields the elements in order.
 */
class IndexedMinHeapTest {
    private int[] keys = new int[8];
    private final Comparator<Integer> byKeyThenElement =
            Comparator.<Integer>comparingInt(e -> keys[e]).thenComparingInt(e -> e);

    private IndexedMinHeap heap(int capacity) {
        return new IndexedMinHeap(capacity, (a, b) -> byKeyThenElement.compare(a, b));
    }

    @Test
    void minimumMatchesAScanUnderRandomInsertUpdateAndRemove() {
        var random = new SplittableRandom(21);
        for (int trial = 0; trial < 30; trial++) {
            keys = new int[8];
            var heap = heap(1 + random.nextInt(8));
            Set<Integer> naive = new HashSet<>();
            for (int step = 0; step < 2000; step++) {
                int element = random.nextInt(60);
                if (element >= keys.length) {
                    keys = Arrays.copyOf(keys, 64);
                }
                int op = random.nextInt(4);
                if (op <= 1 && !naive.contains(element)) {
                    keys[element] = random.nextInt(10); // many equal keys: the tie-break decides
                    heap.add(element);
                    naive.add(element);
                } else if (op == 2) {
                    heap.remove(element); // absent elements are ignored
                    naive.remove(element);
                } else if (naive.contains(element)) {
                    keys[element] = random.nextInt(10);
                    heap.update(element);
                }
                assertThat(heap.size()).isEqualTo(naive.size());
                assertThat(heap.contains(element)).isEqualTo(naive.contains(element));
                if (!naive.isEmpty()) {
                    assertThat(heap.min())
                            .as("trial %d step %d", trial, step)
                            .isEqualTo(naive.stream().min(byKeyThenElement).orElseThrow());
                }
            }
            assertDrainsInOrder(heap, naive);
        }
    }

    @Test
    void resetToHeapifiesARange() {
        var random = new SplittableRandom(4);
        keys = new int[100];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = random.nextInt(20);
        }
        var heap = heap(4);
        heap.add(3);
        heap.resetTo(100);
        var all = new HashSet<Integer>();
        for (int i = 0; i < 100; i++) {
            all.add(i);
        }
        assertDrainsInOrder(heap, all);
    }

    @Test
    void emptyHeapHasNoMinimumAndAnElementEntersOnce() {
        keys = new int[4];
        var heap = heap(2);
        assertThat(heap.isEmpty()).isTrue();
        assertThatThrownBy(heap::min).isInstanceOf(IllegalStateException.class);
        heap.add(1);
        assertThatThrownBy(() -> heap.add(1)).isInstanceOf(IllegalStateException.class);
        assertThat(heap.contains(-1)).isFalse();
        assertThat(heap.contains(99)).isFalse();
    }

    private void assertDrainsInOrder(IndexedMinHeap heap, Set<Integer> naive) {
        var expected = new ArrayList<>(naive);
        expected.sort(byKeyThenElement);
        var drained = new ArrayList<Integer>();
        while (!heap.isEmpty()) {
            int min = heap.min();
            drained.add(min);
            heap.remove(min);
        }
        assertThat(drained).isEqualTo(expected);
    }
}
