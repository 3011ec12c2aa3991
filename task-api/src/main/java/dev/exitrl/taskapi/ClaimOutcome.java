package dev.exitrl.taskapi;

import java.util.UUID;

/** Result of acknowledging or releasing a claim: how many groups it covered. */
public record ClaimOutcome(UUID claimId, int groups) {}
