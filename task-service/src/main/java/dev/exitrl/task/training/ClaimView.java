package dev.exitrl.task.training;

import dev.exitrl.core.task.StepKind;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * A claimed training batch. {@code claimId} is null when nothing was ready.
 *
 * @param droppedStale groups dropped by this claim because their policy version was older than
 *                     {@code currentVersion - maxStaleness}
 */
public record ClaimView(
        UUID claimId, Instant expiresAt, long currentVersion, int droppedStale, List<ClaimedGroup> groups) {
    /**
     * @param rollouts the submitted rollouts ({@code promptTokenIds} and {@code rollouts[]} with response, quality,
     *                 reward, tokenIds, logProbs)
     */
    public record ClaimedGroup(
            long groupId,
            long instanceId,
            StepKind stepKind,
            long policyVersion,
            double score,
            String prompt,
            JsonNode rollouts) {}
}
