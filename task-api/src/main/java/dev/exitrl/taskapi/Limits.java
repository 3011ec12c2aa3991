package dev.exitrl.taskapi;

/**
 * Fixed limits of the wire contract (the configurable ones, such as response sizes, live in task-service's
 * {@code exit.task.limits.*}). One place, so that the annotations and the README agree.
 */
public final class Limits {
    /** Names, labels and worker ids. */
    public static final int MAX_NAME = 200;
    /** Idempotency keys. */
    public static final int MAX_KEY = 200;
    /** Prompt slots per lease. */
    public static final int MAX_LEASE_SIZE = 4096;
    /** Rollouts per group (G). */
    public static final int MAX_GROUP_SIZE = 1024;
    /** Groups per batch submit or per training claim. */
    public static final int MAX_GROUPS = 4096;
    /** Seconds a lease or claim may be asked to hold. */
    public static final int MAX_HOLD_SECONDS = 86_400;
    /** Base tasks per generate call and split. */
    public static final int MAX_GENERATE = 1_000_000;
    /** Rows per page of base tasks. */
    public static final int MAX_PAGE = 10_000;
    /** Evaluation steps K. */
    public static final int MAX_EVALUATION_STEPS = 256;
    /** Evaluation samples n. */
    public static final int MAX_EVALUATION_SAMPLES = 64;
    /** Result rows per post. */
    public static final int MAX_RESULT_ROWS = 20_000;
    /** Items of the buffer's top list. */
    public static final int MAX_TOP = 500;
    /** Descendants of a lineage. */
    public static final int MAX_DESCENDANTS = 5_000;

    private Limits() {}
}
