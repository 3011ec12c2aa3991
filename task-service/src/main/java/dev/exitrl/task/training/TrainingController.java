package dev.exitrl.task.training;

import dev.exitrl.taskapi.AckRequest;
import dev.exitrl.taskapi.ClaimOutcome;
import dev.exitrl.taskapi.ClaimRequest;
import dev.exitrl.taskapi.ClaimView;
import dev.exitrl.taskapi.PolicyVersionRequest;
import dev.exitrl.taskapi.PolicyVersionView;
import dev.exitrl.taskapi.TrainingApi;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.RestController;

/** The trainer's side of the task space: claim training batches, acknowledge them, announce policy versions. */
@RestController
class TrainingController implements TrainingApi {
    private final TrainingQueue queue;

    TrainingController(TrainingQueue queue) {
        this.queue = queue;
    }

    @Override
    public ClaimView claim(UUID experimentId, ClaimRequest request) {
        return queue.claim(experimentId, request.maxGroups(), request.currentVersion(), request.claimSeconds());
    }

    @Override
    public ClaimOutcome acknowledgeClaim(UUID experimentId, UUID claimId, AckRequest request) {
        return new ClaimOutcome(claimId, queue.acknowledge(experimentId, claimId, request));
    }

    @Override
    public ClaimOutcome releaseClaim(UUID experimentId, UUID claimId) {
        return new ClaimOutcome(claimId, queue.release(experimentId, claimId));
    }

    @Override
    public Map<String, Integer> queueDepth(UUID experimentId) {
        return queue.depth(experimentId);
    }

    @Override
    public PolicyVersionView announceVersion(UUID experimentId, PolicyVersionRequest request) {
        return queue.announceVersion(experimentId, request);
    }
}
