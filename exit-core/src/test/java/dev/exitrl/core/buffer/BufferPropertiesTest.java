package dev.exitrl.core.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.core.TestData;
import dev.exitrl.core.sampling.SoftmaxSampler;
import dev.exitrl.core.task.TaskInstance;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class BufferPropertiesTest {
    /** One buffer operation: 0 = offer, 1 = re-score, 2 = sample. */
    record Op(int kind, int instance, double score) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        // scores on a coarse grid so that ties are frequent
        var op = net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 24),
                Arbitraries.integers().between(0, 10).map(i -> i * 0.025)).as(Op::new);
        return op.list().ofMaxSize(120);
    }

    @Property(tries = 300)
    void neverExceedsCapacity(@ForAll @IntRange(min = 1, max = 8) int capacity, @ForAll("ops") List<Op> ops,
                              @ForAll long seed) {
        var buffer = new InMemoryBuffer(capacity);
        var random = new SplittableRandom(seed);
        long iteration = 0;
        for (Op op : ops) {
            iteration++;
            var instance = TestData.single("r" + op.instance(), 1);
            switch (op.kind()) {
                case 0 -> buffer.offer(instance, op.score(), iteration);
                case 1 -> buffer.rescore(instance, op.score(), iteration);
                default -> {
                    if (buffer.size() > 0) buffer.sample(new SoftmaxSampler(10), iteration, random);
                }
            }
            assertThat(buffer.size()).isLessThanOrEqualTo(capacity);
            assertThat(buffer.items()).extracting(BufferItem::instance).doesNotHaveDuplicates();
        }
    }

    @Property(tries = 300)
    void holdsTheTopNOfEveryDistinctOffer(@ForAll @IntRange(min = 1, max = 8) int capacity,
                                          @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 10) Integer> grid) {
        var buffer = new InMemoryBuffer(capacity);
        var offered = new ArrayList<BufferItem>();
        for (int i = 0; i < grid.size(); i++) {
            var instance = TestData.single("offer" + i, 1);
            double score = grid.get(i) * 0.025;
            buffer.offer(instance, score, i);
            offered.add(new BufferItem(instance, score, i, i));
        }
        // Top-N scores seen, as a multiset.
        var topScores = offered.stream().map(BufferItem::score).sorted(Comparator.reverseOrder()).limit(capacity).toList();
        assertThat(buffer.items()).extracting(BufferItem::score).containsExactlyInAnyOrderElementsOf(topScores);
        // And exactly which items: the top N in the order (score desc, newest first) -- the tie rule.
        var expected = offered.stream()
                .sorted(Comparator.comparingDouble(BufferItem::score).reversed()
                        .thenComparing(Comparator.comparingLong(BufferItem::insertionSeq).reversed()))
                .limit(capacity).map(BufferItem::instance).toList();
        assertThat(buffer.items()).extracting(BufferItem::instance).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Property(tries = 200)
    void bufferMinimumNeverDropsOnceFullUnderOffersOnly(@ForAll @IntRange(min = 1, max = 6) int capacity,
                                                        @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 10) Integer> grid) {
        var buffer = new InMemoryBuffer(capacity);
        double previousMin = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < grid.size(); i++) {
            buffer.offer(TestData.single("x" + i, 1), grid.get(i) * 0.025, i);
            if (buffer.size() == capacity) {
                double min = buffer.minScore().orElseThrow();
                assertThat(min).isGreaterThanOrEqualTo(previousMin);
                previousMin = min;
            }
        }
    }

}
