package dev.exitrl.task.basetask;

import dev.exitrl.core.domain.BaseTask;

/** A base task with its row id in the task space. */
public record StoredBaseTask(long id, int ordinal, BaseTask task) {}
