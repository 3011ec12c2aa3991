package dev.exitrl.taskapi;

import jakarta.validation.Valid;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;

/** The trainer's side: claim training batches, acknowledge or release them, announce policy versions. */
@HttpExchange
public interface TrainingApi {
    @PostExchange("/api/experiments/{experimentId}/training/claims")
    ClaimView claim(@PathVariable UUID experimentId, @Valid @RequestBody ClaimRequest request);

    /**
     * Marks a claim's groups consumed; the optional body reports what the update trained (for the progress view and
     * the token budget). Acknowledging again changes nothing.
     */
    @PostExchange("/api/experiments/{experimentId}/training/claims/{claimId}/ack")
    ClaimOutcome acknowledgeClaim(
            @PathVariable UUID experimentId,
            @PathVariable UUID claimId,
            @Valid @RequestBody(required = false) AckRequest request);

    /** Acknowledges without reporting what was trained. */
    default ClaimOutcome acknowledgeClaim(UUID experimentId, UUID claimId) {
        return acknowledgeClaim(experimentId, claimId, AckRequest.none());
    }

    @PostExchange("/api/experiments/{experimentId}/training/claims/{claimId}/release")
    ClaimOutcome releaseClaim(@PathVariable UUID experimentId, @PathVariable UUID claimId);

    /** Queue depth by state ({@code ready}, {@code claimed}, {@code done}). */
    @GetExchange("/api/experiments/{experimentId}/training/queue")
    Map<String, Integer> queueDepth(@PathVariable UUID experimentId);

    @PostExchange("/api/experiments/{experimentId}/policy-version")
    PolicyVersionView announceVersion(
            @PathVariable UUID experimentId, @Valid @RequestBody PolicyVersionRequest request);
}
