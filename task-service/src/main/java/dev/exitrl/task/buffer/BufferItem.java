package dev.exitrl.task.buffer;

import tools.jackson.databind.JsonNode;

/** A buffered task instance with its sampling counters and history (the JSON the instance was stored with). */
record BufferItem(
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
        JsonNode history) {}
