package dev.exitrl.rollout;

import dev.exitrl.rollout.worker.PolicyHolders;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** What this worker is configured to do, and which policy version it generates with per experiment. */
@Tag(name = "Rollout status", description = "What this rollout worker is configured to do")
@RestController
@RequestMapping("/api/rollouts")
class RolloutStatusController {
    private final RolloutProperties properties;
    private final PolicyHolders policies;

    RolloutStatusController(RolloutProperties properties, PolicyHolders policies) {
        this.properties = properties;
        this.policies = policies;
    }

    record Status(
            String workerId,
            String device,
            int leaseBatchSize,
            String taskServiceUrl,
            boolean workerEnabled,
            int maxNewTokens,
            double temperature,
            double topP,
            int syncEvery,
            int maxBatch,
            Map<UUID, Long> policyVersions) {}

    @Operation(summary = "This worker's configuration and the policy version it generates with per experiment")
    @GetMapping("/status")
    Status status() {
        return new Status(
                properties.workerId(),
                properties.device(),
                properties.leaseBatchSize(),
                properties.taskServiceUrl().toString(),
                properties.workerEnabled(),
                properties.maxNewTokens(),
                properties.temperature(),
                properties.topP(),
                properties.syncEvery(),
                properties.maxBatch(),
                policies.versions());
    }
}
