package dev.exitrl.taskapi;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;

/**
 * One rolled-out group, submitted once per lease slot.
 *
 * @param idempotencyKey the same key again (same lease and slot) returns the first answer and changes nothing; a
 *                       key already used for another slot is a conflict
 * @param leaseId        the lease the slot came from
 * @param slot           the slot within the lease
 * @param policyVersion  the policy version that generated the rollouts (not newer than the experiment's)
 * @param prompt         the prompt the rollouts answered; must equal the slot's prompt, or be omitted
 * @param promptTokenIds its token ids (for training), optional
 * @param rollouts       G verified rollouts
 */
public record SubmitGroup(
        @Schema(example = "6f1c2d4e-0000-4000-8000-000000000002:0") @NotBlank @Size(max = Limits.MAX_KEY)
        String idempotencyKey,

        @Schema(example = "6f1c2d4e-0000-4000-8000-000000000002") @NotNull
        UUID leaseId,

        @Schema(example = "0") @Min(0) int slot,
        @Schema(example = "0") @Min(0) long policyVersion,
        String prompt,
        long[] promptTokenIds,
        @NotNull @Size(min = 2, max = Limits.MAX_GROUP_SIZE) List<@Valid @NotNull RolloutRecord> rollouts) {

    /** The idempotency key rollout workers use: one per (lease, slot), so a retried batch is absorbed. */
    public static String keyOf(UUID leaseId, int slot) {
        return leaseId + ":" + slot;
    }
}
