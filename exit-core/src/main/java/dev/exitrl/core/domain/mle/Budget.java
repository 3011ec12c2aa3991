package dev.exitrl.core.domain.mle;

import java.util.Locale;

/**
 * The resources one pipeline run may use: a wall-clock deadline that every learner loop checks (cooperative, so a
 * run stops cleanly, deterministically and without killing threads), and a memory guard that refuses a step whose
 * estimated allocation is above the limit before it allocates.
 */
final class Budget {
    private final long deadlineNanos;
    private final long limitMillis;
    private final long memoryLimitBytes;
    private String activity = "starting";

    Budget(long limitMillis, long memoryLimitBytes) {
        this.limitMillis = limitMillis;
        this.memoryLimitBytes = memoryLimitBytes;
        this.deadlineNanos = System.nanoTime() + limitMillis * 1_000_000L;
    }

    /** Records what is running, for the timeout message. */
    void doing(String what) {
        activity = what;
    }

    /** @throws PipelineException of kind TIMEOUT once the deadline has passed */
    void check() {
        if (System.nanoTime() > deadlineNanos) {
            throw new PipelineException(
                    PipelineException.Kind.TIMEOUT,
                    String.format(
                            Locale.ROOT,
                            "the pipeline ran longer than the limit of %.1f s; it was stopped while %s",
                            limitMillis / 1000.0,
                            activity));
        }
    }

    /** @throws PipelineException of kind OUT_OF_MEMORY when {@code bytes} is above the memory limit */
    void reserve(double bytes, String what) {
        if (bytes > memoryLimitBytes) {
            throw new PipelineException(
                    PipelineException.Kind.OUT_OF_MEMORY,
                    String.format(
                            Locale.ROOT,
                            "%s needs about %.0f MB, above the memory limit of %d MB",
                            what,
                            bytes / 1e6,
                            memoryLimitBytes / 1_000_000));
        }
    }
}
