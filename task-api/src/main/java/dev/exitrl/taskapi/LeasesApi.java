package dev.exitrl.taskapi;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.service.annotation.DeleteExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;

/** Rollout workers lease batches of task instances and release them if they give up. */
@Tag(name = "Leases", description = "Lease task instances for rollouts")
@HttpExchange
public interface LeasesApi {
    @Operation(summary = "Lease slots: instances chosen by the ExIt sampler, each with its prompt and step kind")
    @PostExchange("/api/experiments/{experimentId}/leases")
    LeaseView lease(@PathVariable UUID experimentId, @Valid @RequestBody LeaseRequest request);

    /** Releases the lease's unsubmitted instances (204); later submits to it are refused (409). */
    @Operation(summary = "Release a lease's unsubmitted instances")
    @DeleteExchange("/api/experiments/{experimentId}/leases/{leaseId}")
    ResponseEntity<Void> releaseLease(@PathVariable UUID experimentId, @PathVariable UUID leaseId);
}
