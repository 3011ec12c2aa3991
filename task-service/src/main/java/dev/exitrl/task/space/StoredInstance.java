package dev.exitrl.task.space;

import dev.exitrl.core.task.History;

/** A task instance row: identity (base task + history), lineage, buffer state and sampling counters. */
public record StoredInstance(
        long id,
        long baseTaskId,
        Long parentId,
        int depth,
        History history,
        String createdBy,
        Double quality,
        Double score,
        boolean inBuffer,
        int timesSampled,
        Long lastSampledVersion) {}
