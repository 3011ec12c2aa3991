package dev.exitrl.task.training;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The trainer's side of the task space: claim training batches, acknowledge them, announce policy versions. */
@RestController
@RequestMapping("/api/experiments/{experimentId}")
class TrainingController {
    private final TrainingQueue queue;

    TrainingController(TrainingQueue queue) {
        this.queue = queue;
    }

    /**
     * @param maxGroups      groups wanted at most
     * @param currentVersion the trainer's policy version; default: the experiment's announced version
     * @param claimSeconds   how long the claim holds before the groups return to the queue; default
     *                       {@code exit.task.claim-duration}
     */
    record ClaimRequest(
            @Min(1) @Max(4096) int maxGroups,
            @Min(0) Long currentVersion,
            @Min(1) @Max(86_400) Integer claimSeconds) {}

    record PolicyVersionRequest(@Min(0) long version) {}

    record Acknowledged(UUID claimId, int groups) {}

    record PolicyVersionView(UUID experimentId, long policyVersion) {}

    @PostMapping("/training/claims")
    ClaimView claim(@PathVariable UUID experimentId, @Valid @RequestBody ClaimRequest request) {
        return queue.claim(experimentId, request.maxGroups(), request.currentVersion(), request.claimSeconds());
    }

    @PostMapping("/training/claims/{claimId}/ack")
    Acknowledged acknowledge(@PathVariable UUID experimentId, @PathVariable UUID claimId) {
        return new Acknowledged(claimId, queue.acknowledge(experimentId, claimId));
    }

    @PostMapping("/training/claims/{claimId}/release")
    Acknowledged release(@PathVariable UUID experimentId, @PathVariable UUID claimId) {
        return new Acknowledged(claimId, queue.release(experimentId, claimId));
    }

    @GetMapping("/training/queue")
    Map<String, Integer> depth(@PathVariable UUID experimentId) {
        return queue.depth(experimentId);
    }

    @PostMapping("/policy-version")
    PolicyVersionView announce(@PathVariable UUID experimentId, @Valid @RequestBody PolicyVersionRequest request) {
        return new PolicyVersionView(experimentId, queue.announceVersion(experimentId, request.version()));
    }
}
