package dev.exitrl.task.buffer;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Read-only views of the buffer and of instance lineages, for dashboards and debugging. */
@RestController
@RequestMapping("/api/experiments/{experimentId}")
class BufferViewController {
    static final int MAX_TOP = 500;
    static final int MAX_DESCENDANTS = 5_000;

    private final BufferViews views;

    BufferViewController(BufferViews views) {
        this.views = views;
    }

    @GetMapping("/buffer/stats")
    BufferStats stats(@PathVariable UUID experimentId) {
        return views.stats(experimentId);
    }

    @GetMapping("/buffer/top")
    List<BufferItem> top(
            @PathVariable UUID experimentId, @RequestParam(defaultValue = "20") @Min(1) @Max(MAX_TOP) int limit) {
        return views.top(experimentId, limit);
    }

    @GetMapping("/instances/{instanceId}/lineage")
    Lineage lineage(
            @PathVariable UUID experimentId,
            @PathVariable long instanceId,
            @RequestParam(defaultValue = "200") @Min(0) @Max(MAX_DESCENDANTS) int maxDescendants) {
        return views.lineage(experimentId, instanceId, maxDescendants);
    }
}
