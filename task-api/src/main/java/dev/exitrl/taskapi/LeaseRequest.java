package dev.exitrl.taskapi;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * Asks for a batch of task instances, chosen per ExIt.
 *
 * @param workerId        who holds the lease
 * @param size            prompt slots wanted (fewer come back when every candidate is already leased)
 * @param durationSeconds lease duration; default {@code exit.task.lease-duration}
 */
public record LeaseRequest(
        @Schema(example = "worker-1") @NotBlank @Size(max = Limits.MAX_NAME)
        String workerId,

        @Schema(example = "8") @Min(1) @Max(Limits.MAX_LEASE_SIZE)
        int size,

        @Schema(example = "300") @Min(1) @Max(Limits.MAX_HOLD_SECONDS)
        Integer durationSeconds) {}
