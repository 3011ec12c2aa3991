package dev.exitrl.task.experiment;

import dev.exitrl.taskapi.CreateExperiment;
import dev.exitrl.taskapi.ExperimentView;
import dev.exitrl.taskapi.ExperimentsApi;
import dev.exitrl.taskapi.StatusChange;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

/** Experiments: create (validated against exit-core's rules), read, list, change status. */
@RestController
class ExperimentController implements ExperimentsApi {
    private final ExperimentService experiments;

    ExperimentController(ExperimentService experiments) {
        this.experiments = experiments;
    }

    @Override
    public ResponseEntity<ExperimentView> createExperiment(CreateExperiment request) {
        ExperimentView created = experiments.create(request.name(), request.config());
        return ResponseEntity.created(URI.create("/api/experiments/" + created.id()))
                .body(created);
    }

    @Override
    public List<ExperimentView> listExperiments() {
        return experiments.list();
    }

    @Override
    public ExperimentView getExperiment(UUID experimentId) {
        return experiments.get(experimentId);
    }

    @Override
    public ExperimentView changeStatus(UUID experimentId, StatusChange request) {
        return experiments.changeStatus(experimentId, request.status());
    }
}
