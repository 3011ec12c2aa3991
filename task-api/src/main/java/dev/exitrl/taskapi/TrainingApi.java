package dev.exitrl.taskapi;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;

/** The trainer's side: claim training batches, acknowledge or release them, announce policy versions. */
@Tag(name = "Training", description = "The trainer's side: claims, acknowledgements, policy versions")
@HttpExchange
public interface TrainingApi {
    @Operation(summary = "Claim the oldest ready groups as a training batch")
    @PostExchange("/api/experiments/{experimentId}/training/claims")
    ClaimView claim(@PathVariable UUID experimentId, @Valid @RequestBody ClaimRequest request);

    /**
     * Marks a claim's groups consumed; the optional body reports what the update trained (for the progress view and
     * the token budget). Acknowledging again changes nothing.
     */
    @Operation(summary = "Acknowledge a claim (groups consumed), optionally reporting tokens trained and seconds")
    @PostExchange("/api/experiments/{experimentId}/training/claims/{claimId}/ack")
    ClaimOutcome acknowledgeClaim(
            @PathVariable UUID experimentId,
            @PathVariable UUID claimId,
            @Valid @RequestBody(required = false) AckRequest request);

    /** Acknowledges without reporting what was trained. */
    default ClaimOutcome acknowledgeClaim(UUID experimentId, UUID claimId) {
        return acknowledgeClaim(experimentId, claimId, AckRequest.none());
    }

    @Operation(summary = "Give a claim's groups back to the queue")
    @PostExchange("/api/experiments/{experimentId}/training/claims/{claimId}/release")
    ClaimOutcome releaseClaim(@PathVariable UUID experimentId, @PathVariable UUID claimId);

    /** Queue depth by state ({@code ready}, {@code claimed}, {@code done}). */
    @Operation(summary = "Training queue depth by state")
    @GetExchange("/api/experiments/{experimentId}/training/queue")
    Map<String, Integer> queueDepth(@PathVariable UUID experimentId);

    @Operation(summary = "Announce a new policy version and its checkpoint")
    @PostExchange("/api/experiments/{experimentId}/policy-version")
    PolicyVersionView announceVersion(
            @PathVariable UUID experimentId, @Valid @RequestBody PolicyVersionRequest request);
}
