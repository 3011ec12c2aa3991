package dev.exitrl.task.space;

import dev.exitrl.taskapi.RolloutRecord;
import java.util.List;

/**
 * A group's rollouts as the {@code rollout_group.rollouts} JSONB column holds them: written by a submit (with the
 * derived rewards and resolved histories) and read back, unchanged in type, by a training claim.
 */
public record StoredRollouts(long[] promptTokenIds, List<RolloutRecord> rollouts) {}
