package dev.exitrl.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class DrawsWithoutReplacementTest {

    @Test
    void drawsEveryPositiveIndexExactlyOnce() {
        var draws = new DrawsWithoutReplacement(new double[] {0.5, 0, 0.2, 0.3});
        var seen = new HashSet<Integer>();
        var random = new SplittableRandom(1);
        while (draws.hasMore()) {
            assertThat(seen.add(draws.next(random))).isTrue();
        }
        assertThat(seen).containsExactlyInAnyOrder(0, 2, 3);
        assertThatThrownBy(() -> draws.next(random)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void secondDrawFollowsTheRenormalisedRest() {
        // p = (0.5, 0.3, 0.2). Given the first draw was 0, the second is 1 w.p. 0.3/0.5 = 0.6 and 2 w.p. 0.4.
        double[] p = {0.5, 0.3, 0.2};
        var random = new SplittableRandom(7);
        int firstZero = 0;
        int secondOne = 0;
        int[] firstCounts = new int[3];
        for (int trial = 0; trial < 200_000; trial++) {
            var draws = new DrawsWithoutReplacement(p);
            int first = draws.next(random);
            firstCounts[first]++;
            int second = draws.next(random);
            if (first == 0) {
                firstZero++;
                if (second == 1) {
                    secondOne++;
                }
            }
        }
        assertThat(firstCounts[0] / 200_000.0).isCloseTo(0.5, Offset.offset(0.005));
        assertThat(firstCounts[2] / 200_000.0).isCloseTo(0.2, Offset.offset(0.005));
        assertThat(secondOne / (double) firstZero).isCloseTo(0.6, Offset.offset(0.007));
    }

    @Test
    void tinyRemainingMassFallsBackToAnExactDraw() {
        double[] p = new double[1000];
        p[0] = 1 - 999e-12;
        for (int i = 1; i < p.length; i++) {
            p[i] = 1e-12;
        }
        var draws = new DrawsWithoutReplacement(p);
        var random = new SplittableRandom(3);
        assertThat(draws.next(random)).isZero(); // nearly all mass
        var seen = new HashSet<Integer>();
        for (int i = 0; i < 999; i++) {
            seen.add(draws.next(random)); // each by the exact fallback, no endless loop
        }
        assertThat(seen).hasSize(999).doesNotContain(0);
    }
}
