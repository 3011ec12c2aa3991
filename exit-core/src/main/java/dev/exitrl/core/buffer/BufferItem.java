package dev.exitrl.core.buffer;

import dev.exitrl.core.task.TaskInstance;
import java.util.Objects;

/**
 * One entry of the task buffer.
 *
 * @param instance            the stored task instance (its identity: task + history)
 * @param score               learnability score {@code S}, own or inherited from its parent
 * @param insertionSeq        strictly increasing per buffer, assigned when the item entered; breaks ties
 *                            between equal minimum scores (the oldest insertion is evicted first)
 * @param lastSampledIteration iteration at which the item was last sampled (initially the iteration it was
 *                            inserted); staleness = current iteration - this
 */
public record BufferItem(TaskInstance instance, double score, long insertionSeq, long lastSampledIteration) {
    public BufferItem {
        Objects.requireNonNull(instance, "instance");
        if (!Double.isFinite(score)) {
            throw new IllegalArgumentException("score must be finite, was " + score);
        }
    }

    BufferItem withScore(double newScore) {
        return new BufferItem(instance, newScore, insertionSeq, lastSampledIteration);
    }

    BufferItem sampledAt(long iteration) {
        return new BufferItem(instance, score, insertionSeq, iteration);
    }
}
