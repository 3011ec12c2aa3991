package dev.exitrl.core.domain.countdown;

import dev.exitrl.core.domain.Arithmetic;
import dev.exitrl.core.domain.Arithmetic.Expr;
import dev.exitrl.core.domain.Arithmetic.Num;
import dev.exitrl.core.domain.Arithmetic.Op;
import dev.exitrl.core.domain.Fraction;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Seeded countdown instances that have an exact solution by construction: draw the numbers, combine a random subset
 * of them with random operations into an expression, and take its value as the target. The solution keeps to the
 * classic rules (every intermediate value a positive integer), though responses may use fractions.
 *
 * <pre>
 * difficulty  numbers  small numbers  large numbers (25 50 75 100)  target     numbers the solution uses
 * 1           4        1..10          none                          10..50     >= 2
 * 2           4        1..20          none                          20..100    >= 3
 * 3           5        1..25          up to 1                       50..300    >= 3
 * 4           5        1..50          up to 2                       100..999   >= 4
 * 5           6        1..100         up to 2                       100..999   >= 5
 * </pre>
 */
final class CountdownGenerator {
    private record Level(int count, int smallMax, int largeMax, int targetMin, int targetMax, int minUsed) {}

    private static final Level[] LEVELS = {
        new Level(4, 10, 0, 10, 50, 2),
        new Level(4, 20, 0, 20, 100, 3),
        new Level(5, 25, 1, 50, 300, 3),
        new Level(5, 50, 2, 100, 999, 4),
        new Level(6, 100, 2, 100, 999, 5),
    };
    private static final int[] LARGE = {25, 50, 75, 100};

    private final int difficulty;
    private final Level level;

    CountdownGenerator(int difficulty) {
        if (difficulty < 1 || difficulty > LEVELS.length) {
            throw new IllegalArgumentException("difficulty must be in [1, " + LEVELS.length + "], was " + difficulty);
        }
        this.difficulty = difficulty;
        this.level = LEVELS[difficulty - 1];
    }

    CountdownPuzzle next(RandomGenerator rng) {
        while (true) {
            List<Integer> numbers = new ArrayList<>();
            int large = level.largeMax() == 0 ? 0 : rng.nextInt(level.largeMax() + 1);
            for (int i = 0; i < large; i++) {
                numbers.add(LARGE[rng.nextInt(LARGE.length)]);
            }
            while (numbers.size() < level.count()) {
                numbers.add(1 + rng.nextInt(level.smallMax()));
            }
            shuffle(numbers, rng);
            int used = level.minUsed() + rng.nextInt(level.count() - level.minUsed() + 1);
            List<Integer> pool = new ArrayList<>(numbers);
            shuffle(pool, rng);
            Expr solution = combine(rng, pool.subList(0, used));
            if (solution == null) {
                continue;
            }
            Fraction value = Arithmetic.evaluate(solution);
            if (value.numerator().bitLength() > 20) {
                continue; // far above every level's target range
            }
            int target = value.numerator().intValueExact();
            if (target < level.targetMin() || target > level.targetMax() || numbers.contains(target)) {
                continue;
            }
            return new CountdownPuzzle(numbers, target, solution, difficulty);
        }
    }

    /**
     * A random expression over exactly these numbers, or null when a step breaks the classic rules (a
     * non-positive difference, an uneven division) or a step is pointless (multiplying or dividing by 1).
     */
    private static Expr combine(RandomGenerator rng, List<Integer> numbers) {
        List<Expr> parts = new ArrayList<>();
        for (int n : numbers) {
            parts.add(new Num(Fraction.of(n)));
        }
        while (parts.size() > 1) {
            Expr a = parts.remove(rng.nextInt(parts.size()));
            Expr b = parts.remove(rng.nextInt(parts.size()));
            Fraction x = Arithmetic.evaluate(a);
            Fraction y = Arithmetic.evaluate(b);
            if (x.compareTo(y) < 0) {
                Expr t = a;
                a = b;
                b = t;
                Fraction f = x;
                x = y;
                y = f;
            }
            char op = "+-*/".charAt(rng.nextInt(4));
            if ((op == '-' && x.equals(y)) || ((op == '*' || op == '/') && y.equals(Fraction.ONE))) {
                return null;
            }
            if (op == '/' && !x.divide(y).isInteger()) {
                return null;
            }
            parts.add(new Op(op, a, b));
        }
        return parts.get(0);
    }

    /** Fisher-Yates with the given source (java.util.Collections.shuffle wants a java.util.Random on Java 17). */
    static <T> void shuffle(List<T> list, RandomGenerator rng) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }
}
