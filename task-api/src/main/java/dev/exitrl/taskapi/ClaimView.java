package dev.exitrl.taskapi;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A claimed training batch. {@code claimId} is null when nothing was ready.
 *
 * @param droppedStale groups dropped by this claim because their policy version was older than
 *                     {@code currentVersion - maxStaleness}
 */
public record ClaimView(
        UUID claimId, Instant expiresAt, long currentVersion, int droppedStale, List<ClaimedGroup> groups) {

    public boolean isEmpty() {
        return claimId == null || groups.isEmpty();
    }
}
