package dev.exitrl.core.buffer;

import java.util.Comparator;

/**
 * The buffer's rules as pure decision functions. {@link InMemoryBuffer} is the reference implementation;
 * the task-service implements the same rules in PostgreSQL and is tested against it.
 *
 * <h2>Reference semantics</h2>
 * <ul>
 *   <li><b>Identity.</b> An item is identified by its task instance (base task + history; depth follows from
 *       the history). At most one item per instance.</li>
 *   <li><b>Admission</b> ({@link #admit}). Below capacity N every new item enters. At capacity, a new item
 *       enters only if its score is {@code >=} the current minimum score, and then replaces that minimum;
 *       otherwise it is rejected. Hence the buffer never exceeds N and holds the top-N scores offered.</li>
 *   <li><b>Ties.</b> Among several items with the minimum score, the one with the smallest insertion
 *       sequence (the oldest insertion) is evicted: {@link #EVICTION_ORDER}, i.e. SQL
 *       {@code ORDER BY score ASC, insertion_seq ASC LIMIT 1}. Re-scoring keeps an item's insertion
 *       sequence.</li>
 *   <li><b>Duplicates.</b> Offering an instance that is already stored (a child equal to an existing item)
 *       changes nothing: the stored item keeps its score, insertion sequence and staleness
 *       (SQL {@code ON CONFLICT DO NOTHING}).</li>
 *   <li><b>Parent re-scoring.</b> The parent of a group gets the group's fresh score. If it is stored, its
 *       score is replaced in place (up or down; size unchanged). If it is not stored (a base task, or an item
 *       evicted while its group was being rolled out), it is offered as a new item under the admission
 *       rule.</li>
 *   <li><b>Children</b> inherit the parent's fresh score and are offered after the parent is re-scored, in
 *       expansion order.</li>
 *   <li><b>Equivalently</b>, for a sequence of offers of distinct instances (no re-scoring), the buffer holds
 *       exactly the first N offers in the order (score descending, newest insertion first): ties favour the
 *       newcomer. The property tests check this characterisation.</li>
 *   <li><b>Readiness.</b> The buffer is used for selection once its size is {@code >= B_min}.</li>
 * </ul>
 */
public final class BufferPolicy {
    /** What to do with an offered new item. */
    public enum Admission {
        /** Below capacity: insert. */
        ADD,
        /** At capacity and score >= minimum: insert and evict the first item in {@link #EVICTION_ORDER}. */
        REPLACE_MIN,
        /** At capacity and score < minimum: drop the offer. */
        REJECT
    }

    /** Eviction order: lowest score first, then oldest insertion. The first item is the victim. */
    public static final Comparator<BufferItem> EVICTION_ORDER =
            (a, b) -> compareForEviction(a.score(), a.insertionSeq(), b.score(), b.insertionSeq());

    /**
     * {@link #EVICTION_ORDER} on the two fields it reads, for indexes that keep them in arrays: negative when the
     * item {@code (scoreA, insertionSeqA)} leaves the buffer before {@code (scoreB, insertionSeqB)}.
     */
    public static int compareForEviction(double scoreA, long insertionSeqA, double scoreB, long insertionSeqB) {
        int byScore = Double.compare(scoreA, scoreB);
        return byScore != 0 ? byScore : Long.compare(insertionSeqA, insertionSeqB);
    }

    private BufferPolicy() {}

    /**
     * Admission of a new (not yet stored) item.
     *
     * @param size            current number of items
     * @param capacity        N
     * @param currentMinScore minimum stored score (ignored while {@code size < capacity})
     * @param newScore        score of the offered item
     */
    public static Admission admit(int size, int capacity, double currentMinScore, double newScore) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        if (size < 0 || size > capacity) {
            throw new IllegalArgumentException("size " + size + " outside [0, " + capacity + "]");
        }
        if (size < capacity) {
            return Admission.ADD;
        }
        return newScore >= currentMinScore ? Admission.REPLACE_MIN : Admission.REJECT;
    }

    /** True once the buffer may be selected from: {@code size >= B_min}. */
    public static boolean isReady(int size, int minSize) {
        return size >= minSize;
    }
}
