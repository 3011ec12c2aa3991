package dev.exitrl.core;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Property-based testing in plain JUnit: runs a property over many random cases, each drawn from its own
 * {@link SplittableRandom}. The case seeds come from a fixed root seed, so every run checks the same cases and a
 * failure is reproducible. No shrinking: instead the generators below draw small cases often (sizes skewed toward
 * small, bounds hit on purpose), so a failing case is usually small already.
 *
 * <p>A failure is rethrown as an {@link AssertionError} that names the try and the case seed. Replay that one case
 * with {@code ./mvnw -B -o -pl exit-core test -Dtest='SomeTest#someProperty' -DreplaySeed=<seed>}, or from code
 * with {@link #replay(long, Consumer)}.
 */
public final class PropertyCheck {
    /** Fixed so that runs are reproducible; change it locally to explore other cases. */
    static final long ROOT_SEED = 0x5EED_E817L;
    /** System property that, when set, makes every {@link #forAll} run only the case with that seed. */
    static final String REPLAY_SEED = "replaySeed";

    private PropertyCheck() {}

    /** Checks {@code property} on {@code tries} cases (or only the {@code -DreplaySeed} case, when given). */
    public static void forAll(int tries, Consumer<SplittableRandom> property) {
        String replay = System.getProperty(REPLAY_SEED);
        if (replay != null) {
            replay(parseSeed(replay), property);
        } else {
            forAll(ROOT_SEED, tries, property);
        }
    }

    /** Checks {@code property} on {@code tries} cases whose seeds are derived from {@code rootSeed}. */
    static void forAll(long rootSeed, int tries, Consumer<SplittableRandom> property) {
        if (tries < 1) {
            throw new IllegalArgumentException("tries must be >= 1, was " + tries);
        }
        var seeds = new SplittableRandom(rootSeed);
        for (int i = 0; i < tries; i++) {
            check(i, tries, seeds.nextLong(), property);
        }
    }

    /** Runs {@code property} once on the case with seed {@code caseSeed}, as named by a failure message. */
    public static void replay(long caseSeed, Consumer<SplittableRandom> property) {
        check(0, 1, caseSeed, property);
    }

    private static void check(int tryIndex, int tries, long caseSeed, Consumer<SplittableRandom> property) {
        try {
            property.accept(new SplittableRandom(caseSeed));
        } catch (AssertionError | RuntimeException e) {
            // The cause keeps the original assertion message and stack trace; the message says how to replay.
            throw new AssertionError(
                    "property failed on try " + tryIndex + " of " + tries + ", case seed " + caseSeed
                            + " (replay with -D" + REPLAY_SEED + "=" + caseSeed + "): " + e.getMessage(),
                    e);
        }
    }

    private static long parseSeed(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    REPLAY_SEED + " must be a long (a case seed from a failure message), was '" + text + "'");
        }
    }

    /**
     * An int in {@code [min, max]}: {@code min} and {@code max} each with probability 1/8 (bounds are where bugs
     * live: capacity 1, the largest size), otherwise uniform.
     */
    public static int intBetween(SplittableRandom random, int min, int max) {
        if (min > max) {
            throw new IllegalArgumentException("min must be <= max, was " + min + " > " + max);
        }
        int pick = random.nextInt(8);
        if (pick == 0) {
            return min;
        }
        if (pick == 1) {
            return max;
        }
        return random.nextInt(min, max + 1);
    }

    /**
     * A size in {@code [min, max]} skewed toward small: {@code min} and {@code max} each with probability 1/8,
     * otherwise {@code min + (max - min + 1) * u^2} for uniform {@code u}, so about half of those draws land in the
     * lowest quarter of the range.
     */
    public static int size(SplittableRandom random, int min, int max) {
        if (min > max) {
            throw new IllegalArgumentException("min must be <= max, was " + min + " > " + max);
        }
        int pick = random.nextInt(8);
        if (pick == 0) {
            return min;
        }
        if (pick == 1) {
            return max;
        }
        double u = random.nextDouble();
        return Math.min(max, min + (int) ((max - min + 1) * u * u));
    }

    /** A list whose size is drawn by {@link #size} and whose elements are drawn by {@code element}. */
    public static <T> List<T> listOf(
            SplittableRandom random, int minSize, int maxSize, Function<SplittableRandom, T> element) {
        int n = size(random, minSize, maxSize);
        var list = new ArrayList<T>(n);
        for (int i = 0; i < n; i++) {
            list.add(element.apply(random));
        }
        return list;
    }
}
