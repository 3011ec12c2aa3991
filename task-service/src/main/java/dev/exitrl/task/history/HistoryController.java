package dev.exitrl.task.history;

import dev.exitrl.taskapi.HistoryApi;
import dev.exitrl.taskapi.HistoryPoint;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.RestController;

/** An experiment's per-version time series, for the dashboard's charts. */
@RestController
class HistoryController implements HistoryApi {
    private final ExperimentHistory history;

    HistoryController(ExperimentHistory history) {
        this.history = history;
    }

    @Override
    public List<HistoryPoint> history(UUID experimentId, Long fromVersion) {
        return history.points(experimentId, fromVersion == null ? 0 : fromVersion);
    }
}
