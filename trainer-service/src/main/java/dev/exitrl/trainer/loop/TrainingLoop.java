package dev.exitrl.trainer.loop;

import dev.exitrl.core.experiment.ExperimentConfig;
import dev.exitrl.taskapi.AckRequest;
import dev.exitrl.taskapi.ClaimRequest;
import dev.exitrl.taskapi.ClaimView;
import dev.exitrl.taskapi.EvaluationView;
import dev.exitrl.taskapi.ExperimentStatus;
import dev.exitrl.taskapi.ExperimentView;
import dev.exitrl.taskapi.PolicyVersionRequest;
import dev.exitrl.taskapi.StatusChange;
import dev.exitrl.taskapi.TaskSpaceClient;
import dev.exitrl.trainer.TrainerProperties;
import dev.exitrl.trainer.checkpoint.CheckpointStore;
import dev.exitrl.trainer.checkpoint.CheckpointStore.Written;
import dev.exitrl.trainer.checkpoint.CheckpointUris;
import dev.exitrl.trainer.model.InitialPolicies;
import dev.exitrl.trainer.training.BatchResult;
import dev.exitrl.trainer.training.TrainerMetrics;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer's side of the ExIt loop (loop-design.md). One thread for the whole JVM (DJL's gradient collector is
 * global) serves every RUNNING experiment, one batch each in turn:
 *
 * <ol>
 *   <li>open the experiment's session: resume from its newest complete checkpoint, or build and write version 0;
 *   <li>announce the session's version if the task space knows an older one (version 0 on first sight; a version
 *       written just before a crash, so versions never repeat or skip);
 *   <li>claim up to {@code promptsPerBatch} groups at the session's version; nothing ready: next experiment;
 *   <li>train ({@link dev.exitrl.trainer.training.BatchTrainer}), write version v+1 atomically, acknowledge the
 *       claim, announce v+1, apply retention.
 * </ol>
 *
 * <p>Order of commit: the checkpoint is written before the claim is acknowledged. A crash between the two leaves a
 * version whose groups return to the queue when the claim expires; with {@code maxStaleness = 0} they are then
 * dropped as stale, otherwise trained once more. Acknowledging first would lose the update and its groups instead.
 * Any failure after training began closes the session, so the weights in memory never run ahead of the disk; the
 * claim is released when the checkpoint was not written.
 *
 * <p>PAUSED experiments keep their session; any other status, or an experiment that disappeared, closes it. After
 * {@code config.iterations} versions the trainer stops claiming and marks the experiment COMPLETED. An experiment
 * whose version 0 cannot be built (bad {@code config.model}) is marked FAILED, the reason in the log.
 */
public final class TrainingLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TrainingLoop.class);

    private final TaskSpaceClient client;
    private final CheckpointStore store;
    private final InitialPolicies initial;
    private final TrainerMetrics metrics;
    private final TrainerProperties properties;
    private final Map<UUID, ExperimentSession> sessions = new HashMap<>();

    public TrainingLoop(
            TaskSpaceClient client,
            CheckpointStore store,
            InitialPolicies initial,
            TrainerMetrics metrics,
            TrainerProperties properties) {
        this.client = client;
        this.store = store;
        this.initial = initial;
        this.metrics = metrics;
        this.properties = properties;
    }

    /** What one experiment's turn did. */
    public enum Outcome {
        /** A batch was trained and its version announced. */
        TRAINED,
        /** Nothing was ready to train. */
        IDLE,
        /** A version written earlier was announced; no training this turn. */
        ANNOUNCED,
        /** The experiment is done, failed, or cannot continue. */
        STOPPED
    }

    /**
     * One round: reads the experiments, closes the sessions of those no longer running, and gives each RUNNING one a
     * turn. Returns whether any experiment trained (the caller waits a poll interval otherwise).
     */
    public boolean runRound() {
        List<ExperimentView> experiments = client.listExperiments();
        Set<UUID> keep = new HashSet<>();
        for (ExperimentView e : experiments) {
            if (e.status() == ExperimentStatus.RUNNING || e.status() == ExperimentStatus.PAUSED) {
                keep.add(e.id());
            }
        }
        for (UUID id : Set.copyOf(sessions.keySet())) {
            if (!keep.contains(id)) {
                closeSession(id);
            }
        }
        boolean trained = false;
        for (ExperimentView e : experiments) {
            if (e.status() == ExperimentStatus.RUNNING) {
                try {
                    trained |= turn(e) == Outcome.TRAINED;
                } catch (RuntimeException ex) {
                    log.error("experiment {}: training turn failed; it resumes from its newest checkpoint", e.id(), ex);
                    closeSession(e.id());
                }
            }
        }
        return trained;
    }

    /** One turn of a RUNNING experiment (see the class comment). */
    public Outcome turn(ExperimentView experiment) {
        UUID id = experiment.id();
        ExperimentConfig config = experiment.config();
        ExperimentSession session = sessions.get(id);
        if (session == null) {
            try {
                session = ExperimentSession.open(id, config, store, initial, properties, this::checkpointWritten);
            } catch (IllegalArgumentException e) {
                log.error("experiment {}: cannot build version 0, marking it FAILED: {}", id, e.getMessage());
                markStatus(id, ExperimentStatus.FAILED);
                return Outcome.STOPPED;
            } catch (IOException e) {
                throw new TrainerIoException("experiment " + id + ": cannot open its checkpoints", e);
            }
            sessions.put(id, session);
        }
        long announced = experiment.hasCheckpoint() ? experiment.policyVersion() : -1;
        if (session.version() < announced) {
            log.error(
                    "experiment {}: the task space announces version {} but the newest checkpoint here is {}; "
                            + "not training (was {} wiped or changed?)",
                    id,
                    announced,
                    session.version(),
                    properties.checkpointDir());
            closeSession(id);
            return Outcome.STOPPED;
        }
        if (session.version() > announced) {
            announce(id, session.version());
            return Outcome.ANNOUNCED;
        }
        if (session.version() >= config.iterations()) {
            log.info("experiment {}: {} iterations done, marking it COMPLETED", id, config.iterations());
            markStatus(id, ExperimentStatus.COMPLETED);
            closeSession(id);
            return Outcome.STOPPED;
        }
        ClaimView claim = client.claim(
                id, new ClaimRequest(config.promptsPerBatch(), session.version(), properties.claimSeconds()));
        if (claim.isEmpty()) {
            return Outcome.IDLE;
        }
        long next = session.version() + 1;
        Written written;
        BatchResult result;
        try {
            result = session.batches().train(config, claim.groups(), next);
            written = result.trained() ? session.commit(next) : null;
        } catch (IOException | RuntimeException e) {
            closeSession(id);
            release(id, claim);
            if (e instanceof IOException io) {
                throw new TrainerIoException("experiment " + id + ": cannot write version " + next, io);
            }
            throw (RuntimeException) e;
        }
        // Reports what was trained: the task space's progress view and its token budget count it.
        client.acknowledgeClaim(id, claim.claimId(), new AckRequest(result.tokens(), result.seconds()));
        metrics.recordBatch(id, result);
        if (written == null) {
            log.info(
                    "experiment {}: batch of {} groups had no signal (all zero-variance, dropped); no new version",
                    id,
                    result.groups());
            return Outcome.IDLE;
        }
        checkpointWritten(id, written);
        announce(id, next);
        log.info(
                "experiment {}: version {} from {} groups (dropped stale {}): loss {}, kl {}, mean reward {}; "
                        + "train {} s ({} tokens/s); checkpoint {} bytes in {} s",
                id,
                next,
                result.groups(),
                claim.droppedStale(),
                result.lastStep().loss(),
                result.lastStep().meanKl(),
                result.meanReward(),
                String.format(Locale.ROOT, "%.2f", result.seconds()),
                String.format(Locale.ROOT, "%.0f", result.tokensPerSecond()),
                written.checkpoint().bytes(),
                String.format(Locale.ROOT, "%.3f", written.seconds()));
        retain(id);
        return Outcome.TRAINED;
    }

    private void checkpointWritten(UUID id, Written w) {
        metrics.recordCheckpoint(id, w.checkpoint().bytes(), w.seconds());
    }

    private void announce(UUID id, long version) {
        CheckpointStore.Checkpoint c = store.find(id, version)
                .orElseThrow(() ->
                        new IllegalStateException("experiment " + id + ": version " + version + " is not on disk"));
        client.announceVersion(
                id,
                new PolicyVersionRequest(
                        version,
                        CheckpointUris.of(properties.publicUrl(), id, version).toString(),
                        c.sha256()));
        metrics.recordVersion(id, version);
        log.info("experiment {}: announced version {} (sha256 {})", id, version, c.sha256());
    }

    /** Keeps the newest versions and those an evaluation refers to; a failure here never stops training. */
    private void retain(UUID id) {
        try {
            Set<Long> pinned = client.listEvaluations(id).stream()
                    .map(EvaluationView::policyVersion)
                    .collect(Collectors.toSet());
            List<Long> deleted = store.retain(id, pinned);
            if (!deleted.isEmpty()) {
                log.debug("experiment {}: deleted old versions {}", id, deleted);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("experiment {}: retention skipped: {}", id, e.toString());
        }
    }

    private void release(UUID id, ClaimView claim) {
        try {
            client.releaseClaim(id, claim.claimId());
        } catch (RuntimeException e) {
            log.warn(
                    "experiment {}: could not release claim {} (it expires by itself): {}",
                    id,
                    claim.claimId(),
                    e.toString());
        }
    }

    private void markStatus(UUID id, ExperimentStatus status) {
        try {
            client.changeStatus(id, new StatusChange(status));
        } catch (RuntimeException e) {
            log.warn("experiment {}: could not mark it {}: {}", id, status, e.toString());
        }
    }

    private void closeSession(UUID id) {
        ExperimentSession s = sessions.remove(id);
        if (s != null) {
            s.close();
        }
    }

    /** The version the session of {@code id} holds, or -1 when none is open (for tests and the status endpoint). */
    public long sessionVersion(UUID id) {
        ExperimentSession s = sessions.get(id);
        return s == null ? -1 : s.version();
    }

    @Override
    public void close() {
        for (UUID id : Set.copyOf(sessions.keySet())) {
            closeSession(id);
        }
    }

    /** A checkpoint I/O failure inside a turn. */
    public static final class TrainerIoException extends RuntimeException {
        TrainerIoException(String message, IOException cause) {
            super(message, cause);
        }
    }
}
