package dev.exitrl.taskapi;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Claims a training batch.
 *
 * @param maxGroups      groups wanted at most
 * @param currentVersion the trainer's policy version; default: the experiment's announced version
 * @param claimSeconds   how long the claim holds before its groups return to the queue; default
 *                       {@code exit.task.claim-duration}
 */
public record ClaimRequest(
        @Schema(example = "8") @Min(1) @Max(Limits.MAX_GROUPS)
        int maxGroups,

        @Schema(example = "3") @Min(0) Long currentVersion,

        @Schema(example = "600") @Min(1) @Max(Limits.MAX_HOLD_SECONDS)
        Integer claimSeconds) {}
