package dev.exitrl.core.sampling;

import java.util.random.RandomGenerator;

/**
 * Draws indices from a fixed categorical distribution without replacement: inverse-CDF by binary search, and a
 * drawn index is rejected and drawn again. That is exactly a draw from the distribution renormalised over the
 * indices not drawn yet. When the undrawn mass gets small, rejection would loop long, so after
 * {@value #MAX_REJECTIONS} rejections one exact draw over the undrawn indices is made instead.
 */
public final class DrawsWithoutReplacement {
    public static final int MAX_REJECTIONS = 64;

    private final double[] probabilities; // (n)
    private final double[] cumulative; // (n), cumulative[i] = p_0 + ... + p_i
    private final boolean[] drawn; // (n)
    private double remainingMass;
    private int remaining;

    public DrawsWithoutReplacement(double[] probabilities) {
        this.probabilities = probabilities;
        this.cumulative = new double[probabilities.length];
        this.drawn = new boolean[probabilities.length];
        double sum = 0;
        for (int i = 0; i < probabilities.length; i++) {
            sum += probabilities[i];
            cumulative[i] = sum;
            if (probabilities[i] > 0) {
                remaining++;
            }
        }
        this.remainingMass = sum;
    }

    public boolean hasMore() {
        return remaining > 0;
    }

    public int next(RandomGenerator random) {
        if (!hasMore()) {
            throw new IllegalStateException("every index with positive probability was drawn");
        }
        double total = cumulative[cumulative.length - 1];
        for (int attempt = 0; attempt < MAX_REJECTIONS; attempt++) {
            int i = search(random.nextDouble() * total);
            if (!drawn[i] && probabilities[i] > 0) {
                return take(i);
            }
        }
        double u = random.nextDouble() * remainingMass;
        int last = -1;
        for (int i = 0; i < probabilities.length; i++) {
            if (drawn[i] || probabilities[i] <= 0) {
                continue;
            }
            last = i;
            u -= probabilities[i];
            if (u < 0) {
                return take(i);
            }
        }
        return take(last); // rounding left a hair of mass: it belongs to the last undrawn index
    }

    private int take(int i) {
        drawn[i] = true;
        remaining--;
        remainingMass -= probabilities[i];
        return i;
    }

    /** The first index whose cumulative probability exceeds {@code u}. */
    private int search(double u) {
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
