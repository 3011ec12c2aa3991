package dev.exitrl.task.evaluation;

import dev.exitrl.core.task.StepKind;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * One evaluated response: the quality of step {@code step} of sample {@code sample} on a base task.
 *
 * @param baseTaskId row id of the base task ({@code base_task.id})
 * @param sample     0-based sample index, below the evaluation's {@code samples}
 * @param step       0 = the first answer, k = the k-th revision, at most the evaluation's {@code steps}
 * @param stepKind   SOLVE at step 0; IMPROVE, DIVERGE or DEBUG after
 * @param quality    verifier quality in [0, 1]
 * @param correct    whether the verifier counts the response as right (for net corrections)
 */
record ResultRow(
        @NotNull Long baseTaskId,
        @NotNull @Min(0) Integer sample,
        @NotNull @Min(0) Integer step,
        @NotNull StepKind stepKind,
        @NotNull @DecimalMin("0") @DecimalMax("1") Double quality,
        @NotNull Boolean correct) {

    /** Identity of a row within an evaluation (the table's primary key). */
    record Key(long baseTaskId, int sample, int step) {}

    Key key() {
        return new Key(baseTaskId, sample, step);
    }

    /** Same recorded values (the key is assumed equal). Qualities compare exactly: float8 round-trips. */
    boolean sameValues(ResultRow other) {
        return stepKind == other.stepKind
                && quality.doubleValue() == other.quality.doubleValue()
                && correct.booleanValue() == other.correct.booleanValue();
    }
}
