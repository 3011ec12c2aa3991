package dev.exitrl.taskapi;

import dev.exitrl.core.task.History;

/** A buffered task instance with its sampling counters and history. */
public record BufferItem(
        long id,
        long baseTaskId,
        String taskKey,
        int depth,
        double score,
        Double quality,
        int timesSampled,
        Long lastSampledVersion,
        String createdBy,
        long insertionSeq,
        History history) {}
