package dev.exitrl.task.lease;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Rollout workers lease batches of task instances, chosen per ExIt, and release them if they give up. */
@RestController
@RequestMapping("/api/experiments/{experimentId}/leases")
class LeaseController {
    private final LeaseService leases;

    LeaseController(LeaseService leases) {
        this.leases = leases;
    }

    /**
     * @param workerId        who holds the lease
     * @param size            prompt slots wanted (fewer come back when every candidate is already leased)
     * @param durationSeconds lease duration; default {@code exit.task.lease-duration}
     */
    record LeaseRequest(
            @NotBlank @Size(max = 200) String workerId,
            @Min(1) @Max(4096) int size,
            @Min(1) @Max(86_400) Integer durationSeconds) {}

    @PostMapping
    LeaseView lease(@PathVariable UUID experimentId, @Valid @RequestBody LeaseRequest request) {
        return leases.lease(experimentId, request.workerId(), request.size(), request.durationSeconds());
    }

    @DeleteMapping("/{leaseId}")
    ResponseEntity<Void> release(@PathVariable UUID experimentId, @PathVariable UUID leaseId) {
        leases.release(experimentId, leaseId);
        return ResponseEntity.noContent().build();
    }
}
