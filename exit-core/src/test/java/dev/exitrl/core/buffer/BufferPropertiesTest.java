package dev.exitrl.core.buffer;

import static dev.exitrl.core.PropertyCheck.forAll;
import static dev.exitrl.core.PropertyCheck.intBetween;
import static dev.exitrl.core.PropertyCheck.listOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.core.TestData;
import dev.exitrl.core.sampling.SoftmaxSampler;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BufferPropertiesTest {
    /** One buffer operation: 0 = offer, 1 = re-score, 2 = sample. */
    record Op(int kind, int instance, double score) {}

    /** Up to 120 operations on up to 25 distinct instances; scores on a coarse grid so that ties are frequent. */
    private static List<Op> ops(SplittableRandom random) {
        var scores = TestData.gridScores(random);
        return listOf(random, 0, 120, r -> new Op(r.nextInt(3), r.nextInt(25), scores.getAsDouble()));
    }

    /** Up to {@code maxSize} offered scores on the coarse grid (see {@link TestData#gridScores}). */
    private static List<Double> offeredScores(SplittableRandom random, int maxSize) {
        var scores = TestData.gridScores(random);
        return listOf(random, 0, maxSize, r -> scores.getAsDouble());
    }

    @Test
    void neverExceedsCapacity() {
        forAll(300, random -> {
            int capacity = intBetween(random, 1, 8);
            var ops = ops(random);
            var samplerRandom = new SplittableRandom(random.nextLong());
            var buffer = new InMemoryBuffer(capacity);
            long iteration = 0;
            for (Op op : ops) {
                iteration++;
                var instance = TestData.single("r" + op.instance(), 1);
                switch (op.kind()) {
                    case 0 -> buffer.offer(instance, op.score(), iteration);
                    case 1 -> buffer.rescore(instance, op.score(), iteration);
                    default -> {
                        if (buffer.size() > 0) {
                            buffer.sample(new SoftmaxSampler(10), iteration, samplerRandom);
                        }
                    }
                }
                assertThat(buffer.size()).isLessThanOrEqualTo(capacity);
                assertThat(buffer.items()).extracting(BufferItem::instance).doesNotHaveDuplicates();
            }
        });
    }

    @Test
    void holdsTheTopNOfEveryDistinctOffer() {
        forAll(300, random -> {
            int capacity = intBetween(random, 1, 8);
            var scores = offeredScores(random, 60);
            var buffer = new InMemoryBuffer(capacity);
            var offered = new ArrayList<BufferItem>();
            for (int i = 0; i < scores.size(); i++) {
                var instance = TestData.single("offer" + i, 1);
                double score = scores.get(i);
                buffer.offer(instance, score, i);
                offered.add(new BufferItem(instance, score, i, i));
            }
            // Top-N scores seen, as a multiset.
            var topScores = offered.stream()
                    .map(BufferItem::score)
                    .sorted(Comparator.reverseOrder())
                    .limit(capacity)
                    .toList();
            assertThat(buffer.items()).extracting(BufferItem::score).containsExactlyInAnyOrderElementsOf(topScores);
            // And exactly which items: the top N in the order (score desc, newest first) -- the tie rule.
            var expected = offered.stream()
                    .sorted(Comparator.comparingDouble(BufferItem::score)
                            .reversed()
                            .thenComparing(Comparator.comparingLong(BufferItem::insertionSeq)
                                    .reversed()))
                    .limit(capacity)
                    .map(BufferItem::instance)
                    .toList();
            assertThat(buffer.items()).extracting(BufferItem::instance).containsExactlyInAnyOrderElementsOf(expected);
        });
    }

    @Test
    void bufferMinimumNeverDropsOnceFullUnderOffersOnly() {
        forAll(200, random -> {
            int capacity = intBetween(random, 1, 6);
            var scores = offeredScores(random, 40);
            var buffer = new InMemoryBuffer(capacity);
            double previousMin = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < scores.size(); i++) {
                buffer.offer(TestData.single("x" + i, 1), scores.get(i), i);
                if (buffer.size() == capacity) {
                    double min = buffer.minScore().orElseThrow();
                    assertThat(min).isGreaterThanOrEqualTo(previousMin);
                    previousMin = min;
                }
            }
        });
    }
}
