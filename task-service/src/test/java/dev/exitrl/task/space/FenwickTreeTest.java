package dev.exitrl.task.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Property tests against a naive reference (a plain array): prefix sums and weighted search agree after every random
 * update, growth and compaction. Weights are small integers, so every sum is exact and the answers must be equal.
 */
class FenwickTreeTest {

    @Test
    void prefixSumsAndSearchMatchAPlainArrayUnderRandomUpdates() {
        var random = new SplittableRandom(11);
        for (int trial = 0; trial < 40; trial++) {
            int capacity = 1 + random.nextInt(40);
            var tree = new FenwickTree(capacity);
            var naive = new ArrayList<Double>();
            for (int i = 0; i < capacity; i++) {
                naive.add(0.0);
            }
            for (int step = 0; step < 300; step++) {
                int op = random.nextInt(10);
                if (op == 0 && tree.capacity() < 100) {
                    int grown = tree.capacity() + 1 + random.nextInt(20);
                    tree.grow(grown);
                    while (naive.size() < tree.capacity()) {
                        naive.add(0.0);
                    }
                } else if (op == 1) {
                    // Compaction: keep a random increasing subset of positions, in order.
                    var kept = new ArrayList<Integer>();
                    for (int i = 0; i < naive.size(); i++) {
                        if (random.nextBoolean()) {
                            kept.add(i);
                        }
                    }
                    tree.keep(kept.stream().mapToInt(Integer::intValue).toArray());
                    var moved = new ArrayList<Double>();
                    kept.forEach(i -> moved.add(naive.get(i)));
                    while (moved.size() < naive.size()) {
                        moved.add(0.0);
                    }
                    naive.clear();
                    naive.addAll(moved);
                } else {
                    int at = random.nextInt(naive.size());
                    double weight = random.nextInt(4) == 0 ? 0 : random.nextInt(10);
                    tree.set(at, weight);
                    naive.set(at, weight);
                }
                assertAgrees(tree, naive, random, "trial " + trial + " step " + step);
            }
        }
    }

    @Test
    void theSumsStayExactAcrossThePeriodicRebuild() {
        var tree = new FenwickTree(37); // not a power of two: every node must reach its parent in a rebuild
        var naive = new ArrayList<Double>();
        for (int i = 0; i < 37; i++) {
            naive.add(0.0);
        }
        var random = new SplittableRandom(3);
        for (int step = 0; step < FenwickTree.REBUILD_EVERY + 500; step++) {
            int at = random.nextInt(37);
            double weight = random.nextInt(10);
            tree.set(at, weight);
            naive.set(at, weight);
        }
        assertAgrees(tree, naive, random, "after a rebuild");
    }

    @Test
    void drawsFollowTheWeights() {
        double[] weights = {0.5, 0, 2, 1e-3, 4, 0, 1.5};
        var tree = new FenwickTree(5);
        tree.grow(weights.length);
        for (int i = 0; i < weights.length; i++) {
            tree.set(i, weights[i]);
        }
        double total = tree.prefix(tree.capacity());
        assertThat(total).isCloseTo(Arrays.stream(weights).sum(), Offset.offset(1e-12));
        var random = new SplittableRandom(5);
        int draws = 200_000;
        int[] counts = new int[tree.capacity()];
        for (int i = 0; i < draws; i++) {
            counts[tree.find(random.nextDouble() * total)]++;
        }
        double chi = 0;
        int cells = 0;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] == 0) {
                assertThat(counts[i]).as("position %d weighs 0", i).isZero();
                continue;
            }
            double e = draws * weights[i] / total;
            chi += (counts[i] - e) * (counts[i] - e) / e;
            cells++;
        }
        assertThat(cells).isEqualTo(5);
        assertThat(chi)
                .as("chi-square, 4 degrees of freedom; P(> 18.47) = 0.001")
                .isLessThan(18.47);
    }

    @Test
    void refusesNegativeWeights() {
        var tree = new FenwickTree(4);
        assertThatThrownBy(() -> tree.set(1, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.set(1, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertAgrees(FenwickTree tree, List<Double> naive, SplittableRandom random, String when) {
        assertThat(tree.capacity()).as(when).isEqualTo(naive.size());
        double[] cumulative = new double[naive.size() + 1];
        for (int i = 0; i < naive.size(); i++) {
            assertThat(tree.get(i)).as(when).isEqualTo(naive.get(i));
            cumulative[i + 1] = cumulative[i] + naive.get(i);
        }
        for (int count = 0; count <= naive.size(); count++) {
            assertThat(tree.prefix(count)).as("%s: prefix(%d)", when, count).isEqualTo(cumulative[count]);
        }
        double total = cumulative[naive.size()];
        for (int k = 0; k < 5 && total > 0; k++) {
            double u = random.nextInt((int) total) + random.nextDouble(); // in [0, total)
            int expected = 0;
            while (cumulative[expected + 1] <= u) {
                expected++;
            }
            assertThat(tree.find(u)).as("%s: find(%s)", when, u).isEqualTo(expected);
            assertThat(naive.get(expected)).isPositive();
        }
        assertThat(tree.find(total)).as("%s: u at the total", when).isEqualTo(naive.size());
    }
}
