package dev.exitrl.taskapi;

import dev.exitrl.core.domain.GeneratorSpec;
import io.swagger.v3.oas.annotations.media.Schema;
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
        @Schema(example = "1") long seed,

        @Schema(example = "1") @Min(1) @Max(GeneratorSpec.MAX_DIFFICULTY)
        int difficulty,

        @Schema(example = "500") @Min(0) @Max(Limits.MAX_GENERATE)
        int trainCount,

        @Schema(example = "50") @Min(0) @Max(Limits.MAX_GENERATE)
        int testCount) {}
