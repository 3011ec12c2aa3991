package dev.exitrl.core.domain.math;

/**
 * The time limit of one answer comparison. Parsing, evaluation and matching call {@link #check()} at every step;
 * past the deadline it throws {@link Exceeded}, which the checker turns into "not equivalent". Cooperative checks
 * rather than a thread with a timeout: the checker runs on the caller's thread, allocates no executor and cannot
 * leak work that keeps running after the verdict.
 */
final class CheckBudget {
    /** Thrown once the deadline has passed; carries no stack trace because it is control flow. */
    static final class Exceeded extends RuntimeException {
        Exceeded() {
            super("answer check exceeded its time limit", null, false, false);
        }
    }

    private final long deadlineNanos;

    private CheckBudget(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    static CheckBudget ofMillis(long millis) {
        return new CheckBudget(System.nanoTime() + millis * 1_000_000L);
    }

    void check() {
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new Exceeded();
        }
    }
}
