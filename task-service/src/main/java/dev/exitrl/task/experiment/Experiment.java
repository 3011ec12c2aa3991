package dev.exitrl.task.experiment;

import dev.exitrl.taskapi.ExperimentStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** An ExIt experiment: a domain, a preset and its validated configuration (kept as JSONB). */
@Entity
@Table(name = "experiment")
public class Experiment {
    @Id
    private UUID id;

    @Column(nullable = false)
    private String name;

    @Column(nullable = false)
    private String domain;

    @Column(nullable = false)
    private String preset;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private ExperimentStatus status;

    @Column(nullable = false)
    private long seed;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    private String config;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    /** Newest policy version the trainer announced; written by the task space's SQL, read here. */
    @Column(name = "policy_version", nullable = false, insertable = false, updatable = false)
    private long policyVersion;

    /** Where workers download the announced version's weights, and its hex SHA-256; null before the first. */
    @Column(name = "checkpoint_uri", insertable = false, updatable = false)
    private String checkpointUri;

    @Column(name = "checkpoint_sha256", insertable = false, updatable = false)
    private String checkpointSha256;

    protected Experiment() {
        // for JPA
    }

    public Experiment(String name, String domain, String preset, long seed, String configJson) {
        this.id = UUID.randomUUID();
        this.name = name;
        this.domain = domain;
        this.preset = preset;
        this.seed = seed;
        this.config = configJson;
        this.status = ExperimentStatus.CREATED;
        this.createdAt = Instant.now();
        this.updatedAt = createdAt;
    }

    public void changeStatus(ExperimentStatus newStatus) {
        this.status = newStatus;
        this.updatedAt = Instant.now();
    }

    public UUID getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getDomain() {
        return domain;
    }

    public String getPreset() {
        return preset;
    }

    public ExperimentStatus getStatus() {
        return status;
    }

    public long getSeed() {
        return seed;
    }

    public String getConfig() {
        return config;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    public long getPolicyVersion() {
        return policyVersion;
    }

    public String getCheckpointUri() {
        return checkpointUri;
    }

    public String getCheckpointSha256() {
        return checkpointSha256;
    }
}
