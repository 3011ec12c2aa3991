package dev.exitrl.task.experiment;

import static dev.exitrl.taskapi.ExperimentStatus.COMPLETED;
import static dev.exitrl.taskapi.ExperimentStatus.CREATED;
import static dev.exitrl.taskapi.ExperimentStatus.PAUSED;
import static dev.exitrl.taskapi.ExperimentStatus.RUNNING;

import dev.exitrl.task.progress.ProgressService;
import dev.exitrl.taskapi.CreateExperiment;
import dev.exitrl.taskapi.ExperimentProgress;
import dev.exitrl.taskapi.ExperimentView;
import dev.exitrl.taskapi.ExperimentsApi;
import dev.exitrl.taskapi.StatusChange;
import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

/** Experiments: create (validated against exit-core's rules), read, list, lifecycle, progress. */
@RestController
class ExperimentController implements ExperimentsApi {
    private final ExperimentService experiments;
    private final ProgressService progress;

    ExperimentController(ExperimentService experiments, ProgressService progress) {
        this.experiments = experiments;
        this.progress = progress;
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

    @Override
    public ExperimentView startExperiment(UUID experimentId) {
        return experiments.transition(experimentId, "start", EnumSet.of(CREATED), RUNNING);
    }

    @Override
    public ExperimentView pauseExperiment(UUID experimentId) {
        return experiments.transition(experimentId, "pause", EnumSet.of(RUNNING), PAUSED);
    }

    @Override
    public ExperimentView resumeExperiment(UUID experimentId) {
        return experiments.transition(experimentId, "resume", EnumSet.of(PAUSED), RUNNING);
    }

    @Override
    public ExperimentView stopExperiment(UUID experimentId) {
        return experiments.transition(experimentId, "stop", EnumSet.of(RUNNING, PAUSED), COMPLETED);
    }

    @Override
    public ExperimentProgress progress(UUID experimentId) {
        return progress.of(experimentId);
    }
}
