package dev.exitrl.taskapi;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;

/** Read-only views of the buffer and of instance lineages. */
@Tag(name = "Buffer", description = "Read-only views of the task buffer and lineages")
@HttpExchange
public interface BufferApi {
    @Operation(summary = "Buffer statistics: size, scores, depth histogram, sampled depth per version")
    @GetExchange("/api/experiments/{experimentId}/buffer/stats")
    BufferStats bufferStats(@PathVariable UUID experimentId);

    @Operation(summary = "The highest-scoring buffered instances with their histories")
    @GetExchange("/api/experiments/{experimentId}/buffer/top")
    List<BufferItem> bufferTop(
            @PathVariable UUID experimentId, @RequestParam(defaultValue = "20") @Min(1) @Max(Limits.MAX_TOP) int limit);

    @Operation(summary = "Ancestors and descendants of an instance with scores and qualities")
    @GetExchange("/api/experiments/{experimentId}/instances/{instanceId}/lineage")
    Lineage lineage(
            @PathVariable UUID experimentId,
            @PathVariable long instanceId,
            @RequestParam(defaultValue = "200") @Min(0) @Max(Limits.MAX_DESCENDANTS) int maxDescendants);
}
