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

/** Experiments: create, read, list, change status. */
@HttpExchange
public interface ExperimentsApi {
    /** Creates an experiment (201 with its location); 400 names every invalid config field. */
    @PostExchange("/api/experiments")
    ResponseEntity<ExperimentView> createExperiment(@Valid @RequestBody CreateExperiment request);

    @GetExchange("/api/experiments")
    List<ExperimentView> listExperiments();

    @GetExchange("/api/experiments/{experimentId}")
    ExperimentView getExperiment(@PathVariable UUID experimentId);

    @PostExchange("/api/experiments/{experimentId}/status")
    ExperimentView changeStatus(@PathVariable UUID experimentId, @Valid @RequestBody StatusChange request);
}
