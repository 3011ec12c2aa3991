package dev.exitrl.taskapi;

import dev.exitrl.core.task.StepKind;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * One evaluated response: the quality of step {@code step} of sample {@code sample} on a base task.
 *
 * @param baseTaskId row id of the base task
 * @param sample     0-based sample index, below the evaluation's {@code samples}
 * @param step       0 = the first answer, k = the k-th revision, at most the evaluation's {@code steps}
 * @param stepKind   SOLVE at step 0; IMPROVE, DIVERGE or DEBUG after
 * @param quality    verifier quality in [0, 1]
 * @param correct    whether the verifier counts the response as right (for net corrections)
 */
public record ResultRow(
        @Schema(example = "17") @NotNull Long baseTaskId,
        @Schema(example = "0") @NotNull @Min(0) Integer sample,
        @Schema(example = "1") @NotNull @Min(0) Integer step,
        @Schema(example = "IMPROVE") @NotNull StepKind stepKind,

        @Schema(example = "0.75") @NotNull @DecimalMin("0") @DecimalMax("1")
        Double quality,

        @Schema(example = "false") @NotNull Boolean correct) {}
