package dev.exitrl.taskapi;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Min;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;

/**
 * An experiment's time series, recomputed from the stored groups: what the dashboard draws after a reload (the
 * progress endpoint gives only the current point).
 */
@Tag(name = "History", description = "Per-policy-version time series of an experiment (the dashboard's charts)")
@HttpExchange
public interface HistoryApi {
    /**
     * One point per policy version that has submitted groups, ascending; with {@code fromVersion}, only the points
     * of that version and later (a poller asks again from the last version it has, which may still be growing).
     */
    @Operation(summary = "One point per policy version: rewards, qualities, depth, tokens/s, buffer size")
    @GetExchange("/api/experiments/{experimentId}/history")
    List<HistoryPoint> history(
            @PathVariable UUID experimentId, @RequestParam(required = false) @Min(0) Long fromVersion);
}
