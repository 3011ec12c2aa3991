package dev.exitrl.taskapi;

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
@HttpExchange
public interface ExperimentsApi {
    /** Creates an experiment (201 with its location); 400 names every invalid config field. */
    @PostExchange("/api/experiments")
    ResponseEntity<ExperimentView> createExperiment(@Valid @RequestBody CreateExperiment request);

    @GetExchange("/api/experiments")
    List<ExperimentView> listExperiments();

    @GetExchange("/api/experiments/{experimentId}")
    ExperimentView getExperiment(@PathVariable UUID experimentId);

    /** Any allowed status change (the lifecycle verbs below are the usual way); 409 for a forbidden one. */
    @PostExchange("/api/experiments/{experimentId}/status")
    ExperimentView changeStatus(@PathVariable UUID experimentId, @Valid @RequestBody StatusChange request);

    /** {@code CREATED -> RUNNING}; 409 from any other status. */
    @PostExchange("/api/experiments/{experimentId}/start")
    ExperimentView startExperiment(@PathVariable UUID experimentId);

    /** {@code RUNNING -> PAUSED}: no new leases; submits of leased work and training continue. 409 otherwise. */
    @PostExchange("/api/experiments/{experimentId}/pause")
    ExperimentView pauseExperiment(@PathVariable UUID experimentId);

    /** {@code PAUSED -> RUNNING}; 409 otherwise. */
    @PostExchange("/api/experiments/{experimentId}/resume")
    ExperimentView resumeExperiment(@PathVariable UUID experimentId);

    /** {@code RUNNING or PAUSED -> COMPLETED} (final); 409 otherwise. */
    @PostExchange("/api/experiments/{experimentId}/stop")
    ExperimentView stopExperiment(@PathVariable UUID experimentId);

    /** Iteration, tokens, rewards and qualities by step kind, buffer, queue, rates, latest evaluation, budget. */
    @GetExchange("/api/experiments/{experimentId}/progress")
    ExperimentProgress progress(@PathVariable UUID experimentId);
}
