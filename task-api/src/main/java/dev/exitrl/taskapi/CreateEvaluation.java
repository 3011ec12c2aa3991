package dev.exitrl.taskapi;

import dev.exitrl.core.domain.Split;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * Opens an evaluation record.
 *
 * @param policyVersion the policy version evaluated
 * @param split         base tasks evaluated on; default TEST (held out)
 * @param steps         K, revisions after the first answer
 * @param samples       n, samples per base task
 * @param label         free text for people
 */
public record CreateEvaluation(
        @Schema(example = "3") @NotNull @Min(0) Long policyVersion,
        Split split,

        @Schema(example = "4") @NotNull @Min(0) @Max(Limits.MAX_EVALUATION_STEPS)
        Integer steps,

        @Schema(example = "2") @NotNull @Min(1) @Max(Limits.MAX_EVALUATION_SAMPLES)
        Integer samples,

        @Schema(example = "exit") @Size(max = Limits.MAX_NAME)
        String label) {}
