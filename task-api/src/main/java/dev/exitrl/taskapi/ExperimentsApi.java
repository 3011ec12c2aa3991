package dev.exitrl.taskapi;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;

/**
 * Experiments: create, read, list, drive through their lifecycle ({@code CREATED -> RUNNING <-> PAUSED -> COMPLETED /
 * FAILED}) and watch their progress.
 */
@Tag(name = "Experiments", description = "Create, list, read, drive through the lifecycle and watch progress")
@HttpExchange
public interface ExperimentsApi {
    /** Creates an experiment (201 with its location); 400 names every invalid config field. */
    @Operation(summary = "Create an experiment from a domain, a preset and optional hyperparameters")
    @PostExchange("/api/experiments")
    ResponseEntity<ExperimentView> createExperiment(@Valid @RequestBody CreateExperiment request);

    @Operation(summary = "List experiments, oldest first")
    @GetExchange("/api/experiments")
    List<ExperimentView> listExperiments();

    @Operation(summary = "Read an experiment with its resolved config and current policy version")
    @GetExchange("/api/experiments/{experimentId}")
    ExperimentView getExperiment(@PathVariable UUID experimentId);

    /** Any allowed status change (the lifecycle verbs below are the usual way); 409 for a forbidden one. */
    @Operation(summary = "Change the status directly (any allowed transition)")
    @PostExchange("/api/experiments/{experimentId}/status")
    ExperimentView changeStatus(@PathVariable UUID experimentId, @Valid @RequestBody StatusChange request);

    /** {@code CREATED -> RUNNING}; 409 from any other status. */
    @Operation(summary = "Start: CREATED -> RUNNING")
    @PostExchange("/api/experiments/{experimentId}/start")
    ExperimentView startExperiment(@PathVariable UUID experimentId);

    /** {@code RUNNING -> PAUSED}: no new leases; submits of leased work and training continue. 409 otherwise. */
    @Operation(summary = "Pause: RUNNING -> PAUSED (no new leases)")
    @PostExchange("/api/experiments/{experimentId}/pause")
    ExperimentView pauseExperiment(@PathVariable UUID experimentId);

    /** {@code PAUSED -> RUNNING}; 409 otherwise. */
    @Operation(summary = "Resume: PAUSED -> RUNNING")
    @PostExchange("/api/experiments/{experimentId}/resume")
    ExperimentView resumeExperiment(@PathVariable UUID experimentId);

    /** {@code RUNNING or PAUSED -> COMPLETED} (final); 409 otherwise. */
    @Operation(summary = "Stop: RUNNING or PAUSED -> COMPLETED (final)")
    @PostExchange("/api/experiments/{experimentId}/stop")
    ExperimentView stopExperiment(@PathVariable UUID experimentId);

    /** Iteration, tokens, rewards and qualities by step kind, buffer, queue, rates, latest evaluation, budget. */
    @Operation(
            summary = "Progress: iteration, tokens, rewards, buffer, queue, rates, latest evaluation, budget and ETA")
    @GetExchange("/api/experiments/{experimentId}/progress")
    ExperimentProgress progress(@PathVariable UUID experimentId);
}
