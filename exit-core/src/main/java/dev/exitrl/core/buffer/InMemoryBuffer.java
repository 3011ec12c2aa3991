package dev.exitrl.core.buffer;

import dev.exitrl.core.sampling.BufferSampler;
import dev.exitrl.core.sampling.Candidate;
import dev.exitrl.core.task.TaskInstance;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.random.RandomGenerator;

/**
 * The task buffer in memory: the reference implementation of {@link BufferPolicy} (read its semantics
 * there). Not thread-safe; the production buffer lives in PostgreSQL in the task-service.
 *
 * <p>Items are kept in insertion order, so {@link #items()} and {@link #candidates()} line up index by index.
 */
public final class InMemoryBuffer {
    /** Outcome of offering a new item. */
    public enum OfferResult {
        ADDED,
        REPLACED_MIN,
        REJECTED,
        ALREADY_STORED
    }

    private final int capacity;
    private final Map<TaskInstance, BufferItem> items = new LinkedHashMap<>();
    private long nextSeq;

    public InMemoryBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    public int capacity() {
        return capacity;
    }

    public int size() {
        return items.size();
    }

    public boolean isReady(int minSize) {
        return BufferPolicy.isReady(size(), minSize);
    }

    /** Snapshot of the items in insertion order. */
    public List<BufferItem> items() {
        return List.copyOf(items.values());
    }

    public Optional<BufferItem> get(TaskInstance instance) {
        return Optional.ofNullable(items.get(instance));
    }

    public OptionalDouble minScore() {
        return items.values().stream().mapToDouble(BufferItem::score).min();
    }

    /** Offers a new item with {@code score}, inserted at {@code iteration} (its initial last-sampled time). */
    public OfferResult offer(TaskInstance instance, double score, long iteration) {
        if (items.containsKey(instance)) {
            return OfferResult.ALREADY_STORED;
        }
        var admission = BufferPolicy.admit(size(), capacity, minScore().orElse(Double.NaN), score);
        if (admission == BufferPolicy.Admission.REJECT) {
            return OfferResult.REJECTED;
        }
        if (admission == BufferPolicy.Admission.REPLACE_MIN) {
            items.remove(victim().instance());
        }
        items.put(instance, new BufferItem(instance, score, nextSeq++, iteration));
        return admission == BufferPolicy.Admission.ADD ? OfferResult.ADDED : OfferResult.REPLACED_MIN;
    }

    /**
     * Re-scores a parent: in place if stored (returns {@code ALREADY_STORED}), otherwise offers it as new.
     */
    public OfferResult rescore(TaskInstance instance, double score, long iteration) {
        var stored = items.get(instance);
        if (stored == null) {
            return offer(instance, score, iteration);
        }
        items.put(instance, stored.withScore(score)); // keeps the map position (insertion order)
        return OfferResult.ALREADY_STORED;
    }

    /** One group's buffer update: re-score the parent with {@code score}, then offer each child with it. */
    public void update(TaskInstance parent, double score, List<TaskInstance> children, long iteration) {
        rescore(parent, score, iteration);
        for (TaskInstance child : children) {
            offer(child, score, iteration);
        }
    }

    /** Scores and staleness of the items, aligned with {@link #items()}. */
    public List<Candidate> candidates() {
        var out = new ArrayList<Candidate>(items.size());
        for (BufferItem item : items.values()) {
            out.add(new Candidate(item.score(), item.lastSampledIteration()));
        }
        return out;
    }

    /** Draws one item with {@code sampler} and records that it was sampled at {@code iteration}. */
    public BufferItem sample(BufferSampler sampler, long iteration, RandomGenerator random) {
        if (items.isEmpty()) {
            throw new IllegalStateException("cannot sample from an empty buffer");
        }
        BufferItem chosen = items().get(sampler.sample(candidates(), iteration, random)); // same order
        BufferItem marked = chosen.sampledAt(iteration);
        items.put(chosen.instance(), marked);
        return marked;
    }

    private BufferItem victim() {
        return items.values().stream().min(BufferPolicy.EVICTION_ORDER).orElseThrow();
    }
}
