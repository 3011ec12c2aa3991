package dev.exitrl.trainer;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** What this trainer is configured to do. */
@Tag(name = "Trainer status", description = "What this trainer is configured to do")
@RestController
@RequestMapping("/api/trainer")
class TrainerStatusController {
    private final TrainerProperties properties;

    TrainerStatusController(TrainerProperties properties) {
        this.properties = properties;
    }

    record Status(
            String device,
            String checkpointDir,
            String taskServiceUrl,
            String publicUrl,
            int keepCheckpoints,
            boolean loopEnabled,
            int microBatchSize,
            String precision,
            TrainerProperties.WarmStart warmStart) {}

    @Operation(summary = "This trainer's configuration")
    @GetMapping("/status")
    Status status() {
        return new Status(
                properties.device(),
                properties.checkpointDir().toString(),
                properties.taskServiceUrl().toString(),
                properties.publicUrl().toString(),
                properties.keepCheckpoints(),
                properties.loopEnabled(),
                properties.microBatchSize(),
                properties.precision(),
                properties.warmStart());
    }
}
