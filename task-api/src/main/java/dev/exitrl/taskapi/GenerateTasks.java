package dev.exitrl.taskapi;

import dev.exitrl.core.domain.GeneratorSpec;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Generates base tasks with the experiment's domain.
 *
 * @param seed       generator seed (same seed, same tasks)
 * @param difficulty 1 (easiest) to 5
 * @param trainCount training tasks wanted
 * @param testCount  held-out tasks wanted
 */
public record GenerateTasks(
        long seed,
        @Min(1) @Max(GeneratorSpec.MAX_DIFFICULTY) int difficulty,
        @Min(0) @Max(Limits.MAX_GENERATE) int trainCount,
        @Min(0) @Max(Limits.MAX_GENERATE) int testCount) {}
