package dev.exitrl.task.space;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.core.sampling.Candidate;
import dev.exitrl.core.sampling.SoftmaxSampler;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BufferIndexTest {
    static final double KAPPA = 10;

    @Test
    void treeDrawsFollowTheSoftmaxSamplerOverFreeItems() {
        var index = new BufferIndex(0, new SoftmaxSampler(KAPPA));
        var random = new SplittableRandom(5);
        long seq = 0;
        for (long id = 1; id <= 200; id++) {
            index.add(id, random.nextInt(11) / 40.0, 0, 0, ++seq);
        }
        // Churn: removals (with compaction), re-scores and re-adds, so the tree has been updated and rebuilt.
        for (long id = 1; id <= 150; id += 2) {
            index.remove(id);
        }
        for (long id = 2; id <= 100; id += 4) {
            index.setScore(id, 0.25 - random.nextInt(5) / 40.0);
        }
        for (long id = 1000; id < 1040; id++) {
            index.add(id, random.nextInt(11) / 40.0, 0, 0, ++seq);
        }
        index.setLeasedUntil(4, Long.MAX_VALUE); // leased: never drawn
        index.setLeasedUntil(6, 1); // lease long expired: free again

        var free = index.free(1000);
        assertThat(free.ids()).doesNotContain(4L).contains(6L);
        long taken = free.ids().get(3);
        var ids = new ArrayList<Long>();
        var candidates = new ArrayList<Candidate>();
        for (int i = 0; i < free.ids().size(); i++) {
            if (free.ids().get(i) == taken) {
                continue;
            }
            ids.add(free.ids().get(i));
            candidates.add(free.candidates().get(i));
        }
        double[] expected = new SoftmaxSampler(KAPPA).probabilities(candidates, 0);

        int draws = 400_000;
        var counts = new HashMap<Long, Integer>();
        for (int i = 0; i < draws; i++) {
            counts.merge(index.drawFree(random, 1000, Set.of(taken)), 1, Integer::sum);
        }
        assertThat(counts).doesNotContainKeys(4L, taken, -1L);
        double chi = 0;
        for (int i = 0; i < ids.size(); i++) {
            double e = expected[i] * draws;
            double o = counts.getOrDefault(ids.get(i), 0);
            chi += (o - e) * (o - e) / e;
        }
        int dof = ids.size() - 1;
        // Wilson-Hilferty 0.999 quantile of chi-square(dof).
        double z = 3.09;
        double limit = dof * Math.pow(1 - 2.0 / (9 * dof) + z * Math.sqrt(2.0 / (9 * dof)), 3);
        assertThat(chi).isLessThan(limit);
    }

    @Test
    void treeDrawsStayExactAfterCompaction() {
        // Compaction moves positions and rebuilds the weight tree at a length that is not a power of two; a draw
        // that nothing rejects then shows the tree alone (a tree missing part of its sums favours the last items).
        var index = new BufferIndex(0, new SoftmaxSampler(KAPPA));
        var random = new SplittableRandom(17);
        for (long id = 1; id <= 200; id++) {
            index.add(id, random.nextInt(11) / 40.0, 0, 0, id);
        }
        for (long id = 1; id <= 200; id++) {
            if (id % 4 != 0) {
                index.remove(id); // live falls below half the length: compacted
            }
        }
        var free = index.free(1000);
        assertThat(free.ids()).hasSize(50);
        double[] expected = new SoftmaxSampler(KAPPA).probabilities(free.candidates(), 0);
        int draws = 100_000;
        var counts = new HashMap<Long, Integer>();
        for (int i = 0; i < draws; i++) {
            counts.merge(index.drawFree(random, 1000, Set.of()), 1, Integer::sum);
        }
        double chi = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i] * draws;
            double o = counts.getOrDefault(free.ids().get(i), 0);
            chi += (o - e) * (o - e) / e;
        }
        assertThat(chi)
                .as("chi-square, 49 degrees of freedom; P(> 85.35) = 0.001")
                .isLessThan(85.35);
    }

    @Test
    void whenEverythingIsLeasedOrTakenThereIsNothingToDraw() {
        var index = new BufferIndex(0, new SoftmaxSampler(KAPPA));
        index.add(1, 0.1, 0, 0, 1);
        index.add(2, 0.2, 0, Long.MAX_VALUE, 2);
        assertThat(index.drawFree(new SplittableRandom(1), 10, Set.of(1L))).isEqualTo(-1);
        assertThat(index.drawFree(new SplittableRandom(1), 10, Set.of())).isEqualTo(1);
    }

    @Test
    void minimumIsTheLowestScoreThenTheOldestInsertion() {
        var index = new BufferIndex(0, new SoftmaxSampler(KAPPA));
        index.add(10, 0.2, 0, 0, 1);
        index.add(11, 0.1, 0, 0, 2);
        index.add(12, 0.1, 0, 0, 3);
        assertThat(index.minimum().id()).isEqualTo(11);
        index.setScore(11, 0.3);
        assertThat(index.minimum().id()).isEqualTo(12);
        index.remove(12);
        assertThat(index.minimum().id()).isEqualTo(10);
        assertThat(index.size()).isEqualTo(2);
    }

    @Test
    void minimumMatchesABruteForceScanUnderRandomChurn() {
        var index = new BufferIndex(0, new SoftmaxSampler(KAPPA));
        var live = new HashMap<Long, double[]>(); // id -> (score, seq)
        var random = new SplittableRandom(9);
        long seq = 0;
        long nextId = 1;
        for (int step = 0; step < 20_000; step++) {
            int op = live.isEmpty() ? 0 : random.nextInt(3);
            if (op == 0) {
                double score = random.nextInt(9) / 32.0;
                index.add(nextId, score, 0, 0, ++seq);
                live.put(nextId++, new double[] {score, seq});
            } else {
                long id = live.keySet().stream()
                        .skip(random.nextInt(live.size()))
                        .findFirst()
                        .orElseThrow();
                if (op == 1) {
                    index.remove(id);
                    live.remove(id);
                } else {
                    double score = random.nextInt(9) / 32.0;
                    index.setScore(id, score);
                    live.get(id)[0] = score;
                }
            }
            assertThat(index.size()).isEqualTo(live.size());
            if (!live.isEmpty()) {
                long expected = live.entrySet().stream()
                        .min(Comparator.<Map.Entry<Long, double[]>>comparingDouble(e -> e.getValue()[0])
                                .thenComparingDouble(e -> e.getValue()[1]))
                        .orElseThrow()
                        .getKey();
                assertThat(index.minimum().id()).as("step %d", step).isEqualTo(expected);
            }
        }
    }

    @Test
    void rankSamplerIndexesKeepNoTree() {
        var index = new BufferIndex(0, null);
        index.add(1, 0.1, 0, 0, 1);
        assertThat(index.drawsSoftmax()).isFalse();
        assertThat(index.free(1).ids()).isEqualTo(List.of(1L));
    }
}
