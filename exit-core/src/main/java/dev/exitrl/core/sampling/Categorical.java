package dev.exitrl.core.sampling;

import java.util.random.RandomGenerator;

/** Inverse-CDF draw from a discrete distribution. */
final class Categorical {
    private Categorical() {}

    static int draw(double[] probabilities, RandomGenerator random) {
        if (probabilities.length == 0) {
            throw new IllegalArgumentException("cannot draw from an empty distribution");
        }
        double u = random.nextDouble();
        double cumulative = 0;
        int lastPositive = -1;
        for (int i = 0; i < probabilities.length; i++) {
            if (probabilities[i] <= 0) {
                continue;
            }
            lastPositive = i;
            cumulative += probabilities[i];
            if (u < cumulative) {
                return i;
            }
        }
        // Rounding can leave the cumulative sum a hair below 1: the mass belongs to the last possible item.
        if (lastPositive < 0) {
            throw new IllegalArgumentException("distribution has no positive mass");
        }
        return lastPositive;
    }
}
