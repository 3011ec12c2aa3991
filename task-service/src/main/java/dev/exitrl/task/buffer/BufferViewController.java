package dev.exitrl.task.buffer;

import dev.exitrl.taskapi.BufferApi;
import dev.exitrl.taskapi.BufferItem;
import dev.exitrl.taskapi.BufferStats;
import dev.exitrl.taskapi.Lineage;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.RestController;

/** Read-only views of the buffer and of instance lineages, for dashboards and debugging. */
@RestController
class BufferViewController implements BufferApi {
    private final BufferViews views;

    BufferViewController(BufferViews views) {
        this.views = views;
    }

    @Override
    public BufferStats bufferStats(UUID experimentId) {
        return views.stats(experimentId);
    }

    @Override
    public List<BufferItem> bufferTop(UUID experimentId, int limit) {
        return views.top(experimentId, limit);
    }

    @Override
    public Lineage lineage(UUID experimentId, long instanceId, int maxDescendants) {
        return views.lineage(experimentId, instanceId, maxDescendants);
    }
}
