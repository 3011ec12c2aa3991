package dev.exitrl.taskapi;

import jakarta.validation.Valid;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.service.annotation.DeleteExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;

/** Rollout workers lease batches of task instances and release them if they give up. */
@HttpExchange
public interface LeasesApi {
    @PostExchange("/api/experiments/{experimentId}/leases")
    LeaseView lease(@PathVariable UUID experimentId, @Valid @RequestBody LeaseRequest request);

    /** Releases the lease's unsubmitted instances (204); later submits to it are refused (409). */
    @DeleteExchange("/api/experiments/{experimentId}/leases/{leaseId}")
    ResponseEntity<Void> releaseLease(@PathVariable UUID experimentId, @PathVariable UUID leaseId);
}
