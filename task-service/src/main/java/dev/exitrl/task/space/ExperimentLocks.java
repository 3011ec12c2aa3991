package dev.exitrl.task.space;

import dev.exitrl.core.domain.DomainRegistry;
import dev.exitrl.core.experiment.ExperimentConfig;
import dev.exitrl.task.web.ConflictException;
import dev.exitrl.task.web.NotFoundException;
import dev.exitrl.taskapi.ExperimentStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/** Locks an experiment's row for the running transaction and reads what the task space needs of it. */
@Component
public class ExperimentLocks {
    private final JdbcClient jdbc;
    private final ObjectMapper mapper;
    private final DomainRegistry domains;
    /** Configurations never change after creation, so they are parsed once. */
    private final Map<UUID, ExperimentConfig> configs = new ConcurrentHashMap<>();

    ExperimentLocks(JdbcClient jdbc, ObjectMapper mapper, DomainRegistry domains) {
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.domains = domains;
    }

    /** Locks the row; the caller must be inside a transaction. */
    public LockedExperiment lock(UUID experimentId) {
        return read(experimentId, " FOR UPDATE");
    }

    /** Reads without locking (views). */
    public LockedExperiment read(UUID experimentId) {
        return read(experimentId, "");
    }

    /** Locks the row and insists the experiment is running (leases and submits need that). */
    public LockedExperiment lockRunning(UUID experimentId) {
        var experiment = lock(experimentId);
        if (experiment.status() != ExperimentStatus.RUNNING) {
            throw new ConflictException("experiment " + experimentId + " is " + experiment.status()
                    + "; start it first (POST /api/experiments/" + experimentId + "/status {\"status\":\"RUNNING\"})");
        }
        return experiment;
    }

    private LockedExperiment read(UUID experimentId, String lockClause) {
        return jdbc.sql("SELECT id, status, seed, policy_version, lease_count, buffer_version,"
                        + " config::text AS config"
                        + " FROM experiment WHERE id = ?" + lockClause)
                .param(experimentId)
                .query((rs, n) -> {
                    UUID id = rs.getObject("id", UUID.class);
                    ExperimentConfig config = configs.computeIfAbsent(id, k -> readConfig(rs, "config"));
                    return new LockedExperiment(
                            id,
                            ExperimentStatus.valueOf(rs.getString("status")),
                            rs.getLong("seed"),
                            rs.getLong("policy_version"),
                            rs.getLong("lease_count"),
                            rs.getLong("buffer_version"),
                            config,
                            domains.get(config.domain()));
                })
                .optional()
                .orElseThrow(() -> new NotFoundException("experiment", experimentId));
    }

    private ExperimentConfig readConfig(ResultSet rs, String column) {
        try {
            return mapper.readValue(rs.getString(column), ExperimentConfig.class);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
