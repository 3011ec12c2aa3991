package dev.exitrl.core.domain;

/**
 * What to generate procedurally: a seed, a difficulty level and how many train and test tasks.
 *
 * @param seed       the seed; equal specs always give equal tasks (same ids, same order)
 * @param difficulty 1 (easiest) to {@link #MAX_DIFFICULTY}
 * @param trainCount number of training tasks, {@code >= 0}
 * @param testCount  number of held-out tasks, {@code >= 0}
 */
public record GeneratorSpec(long seed, int difficulty, int trainCount, int testCount) {
    public static final int MAX_DIFFICULTY = 5;

    public GeneratorSpec {
        if (difficulty < 1 || difficulty > MAX_DIFFICULTY) {
            throw new IllegalArgumentException("difficulty must be in [1, " + MAX_DIFFICULTY + "], was " + difficulty);
        }
        if (trainCount < 0) {
            throw new IllegalArgumentException("trainCount must be >= 0, was " + trainCount);
        }
        if (testCount < 0) {
            throw new IllegalArgumentException("testCount must be >= 0, was " + testCount);
        }
    }
}
