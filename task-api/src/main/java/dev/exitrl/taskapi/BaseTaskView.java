package dev.exitrl.taskapi;

import dev.exitrl.core.domain.BaseTask;

/** A stored base task: its row id (what evaluations refer to), its ordinal within the split, and the task. */
public record BaseTaskView(long id, int ordinal, BaseTask task) {}
