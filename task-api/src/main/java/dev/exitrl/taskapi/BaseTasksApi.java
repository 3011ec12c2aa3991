package dev.exitrl.taskapi;

import dev.exitrl.core.domain.Split;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;

/**
 * Base tasks of an experiment. The JSON-lines import ({@code POST .../base-tasks/import}, streamed, all or nothing)
 * is served beside this interface because its body is a stream, not a record.
 */
@Tag(name = "Base tasks", description = "Generate, count and page through base tasks")
@HttpExchange
public interface BaseTasksApi {
    @Operation(summary = "Generate base tasks with the domain's generator (same seed, same tasks)")
    @PostExchange("/api/experiments/{experimentId}/base-tasks/generate")
    TasksAdded generateTasks(@PathVariable UUID experimentId, @Valid @RequestBody GenerateTasks request);

    @Operation(summary = "Count base tasks per split")
    @GetExchange("/api/experiments/{experimentId}/base-tasks/counts")
    Map<Split, Integer> taskCounts(@PathVariable UUID experimentId);

    @Operation(summary = "Page through the base tasks of a split")
    @GetExchange("/api/experiments/{experimentId}/base-tasks")
    List<BaseTaskView> listTasks(
            @PathVariable UUID experimentId,
            @RequestParam(defaultValue = "TEST") Split split,
            @RequestParam(defaultValue = "0") @Min(0) int offset,
            @RequestParam(defaultValue = "100") @Min(1) @Max(Limits.MAX_PAGE) int limit);
}
