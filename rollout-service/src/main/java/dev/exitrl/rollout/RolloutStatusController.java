package dev.exitrl.rollout;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** What this worker is configured to do; the worker loop itself arrives with the rollout issue. */
@RestController
@RequestMapping("/api/rollouts")
class RolloutStatusController {
    private final RolloutProperties properties;

    RolloutStatusController(RolloutProperties properties) {
        this.properties = properties;
    }

    record Status(String workerId, String device, int leaseBatchSize, String taskServiceUrl) {}

    @GetMapping("/status")
    Status status() {
        return new Status(
                properties.workerId(),
                properties.device(),
                properties.leaseBatchSize(),
                properties.taskServiceUrl().toString());
    }
}
