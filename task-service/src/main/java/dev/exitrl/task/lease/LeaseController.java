package dev.exitrl.task.lease;

import dev.exitrl.taskapi.LeaseRequest;
import dev.exitrl.taskapi.LeaseView;
import dev.exitrl.taskapi.LeasesApi;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

/** Rollout workers lease batches of task instances, chosen per ExIt, and release them if they give up. */
@RestController
class LeaseController implements LeasesApi {
    private final LeaseService leases;

    LeaseController(LeaseService leases) {
        this.leases = leases;
    }

    @Override
    public LeaseView lease(UUID experimentId, LeaseRequest request) {
        return leases.lease(experimentId, request.workerId(), request.size(), request.durationSeconds());
    }

    @Override
    public ResponseEntity<Void> releaseLease(UUID experimentId, UUID leaseId) {
        leases.release(experimentId, leaseId);
        return ResponseEntity.noContent().build();
    }
}
