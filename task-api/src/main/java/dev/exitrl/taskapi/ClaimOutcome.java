package dev.exitrl.taskapi;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.UUID;

/** Result of acknowledging or releasing a claim: how many groups it covered. */
public record ClaimOutcome(
        UUID claimId, @Schema(example = "8") int groups) {}
