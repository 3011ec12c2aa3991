package dev.exitrl.trainer.loop;

import dev.exitrl.core.experiment.ExperimentConfig;
import dev.exitrl.policy.Policy;
import dev.exitrl.policy.training.PolicyTrainer;
import dev.exitrl.trainer.TrainerProperties;
import dev.exitrl.trainer.checkpoint.CheckpointStore;
import dev.exitrl.trainer.checkpoint.CheckpointStore.Checkpoint;
import dev.exitrl.trainer.checkpoint.CheckpointStore.Written;
import dev.exitrl.trainer.model.InitialPolicies;
import dev.exitrl.trainer.training.BatchTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer's state for one experiment: the policy, its optimizer and reference (a {@link PolicyTrainer}), and the
 * version the weights in memory are. Opened from the newest complete checkpoint (resume, optimizer state included)
 * or, when there is none, from version 0 which it writes first. Touched by the training thread only.
 */
final class ExperimentSession implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExperimentSession.class);
    private static final String TOKENIZER_CONFIG = "tokenizer_config.json";

    private final UUID experiment;
    private final Policy policy;
    private final PolicyTrainer trainer;
    private final BatchTrainer batches;
    private final CheckpointStore store;
    /** The source's {@code tokenizer_config.json} (chat template), written into every version; null when absent. */
    private final byte[] tokenizerConfig;

    private long version;

    private ExperimentSession(
            UUID experiment,
            Policy policy,
            PolicyTrainer trainer,
            CheckpointStore store,
            byte[] tokenizerConfig,
            long version) {
        this.experiment = experiment;
        this.policy = policy;
        this.trainer = trainer;
        this.batches = new BatchTrainer(policy, trainer);
        this.store = store;
        this.tokenizerConfig = tokenizerConfig;
        this.version = version;
    }

    /**
     * Resumes from the newest complete checkpoint, or builds and writes version 0. Leftovers of an interrupted write
     * are removed first.
     */
    static ExperimentSession open(
            UUID experiment,
            ExperimentConfig config,
            CheckpointStore store,
            InitialPolicies initial,
            TrainerProperties properties,
            SessionListener listener)
            throws IOException {
        store.recover(experiment);
        Optional<Checkpoint> latest = store.latest(experiment);
        if (latest.isPresent()) {
            Checkpoint c = latest.get();
            byte[] template = readIfPresent(c.dir().resolve(TOKENIZER_CONFIG));
            Policy policy = Policy.load(c.dir(), properties.device());
            PolicyTrainer trainer = null;
            try {
                trainer = new PolicyTrainer(policy.model(), BatchTrainer.grpoConfig(config, properties));
                trainer.resume(c.dir());
            } catch (IOException | RuntimeException e) {
                if (trainer != null) {
                    trainer.close();
                }
                policy.close();
                throw e;
            }
            log.info(
                    "experiment {}: resumed at version {} (optimizer step {})",
                    experiment,
                    c.version(),
                    trainer.step());
            return new ExperimentSession(experiment, policy, trainer, store, template, c.version());
        }
        Path source = initial.versionZero(config);
        byte[] template = readIfPresent(source.resolve(TOKENIZER_CONFIG));
        Policy policy = Policy.load(source, properties.device());
        ExperimentSession session;
        try {
            PolicyTrainer trainer = new PolicyTrainer(policy.model(), BatchTrainer.grpoConfig(config, properties));
            session = new ExperimentSession(experiment, policy, trainer, store, template, 0);
        } catch (RuntimeException e) {
            policy.close();
            throw e;
        }
        try {
            listener.checkpointWritten(experiment, session.writeCheckpoint(0));
        } catch (IOException | RuntimeException e) {
            session.close();
            throw e;
        }
        log.info("experiment {}: version 0 written from {}", experiment, source);
        return session;
    }

    /** Kept in memory: retention may delete the directory it was read from. */
    private static byte[] readIfPresent(Path file) throws IOException {
        return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
    }

    /** Called when the session writes a checkpoint (for metrics). */
    interface SessionListener {
        void checkpointWritten(UUID experiment, Written written);
    }

    UUID experiment() {
        return experiment;
    }

    long version() {
        return version;
    }

    BatchTrainer batches() {
        return batches;
    }

    PolicyTrainer trainer() {
        return trainer;
    }

    Policy policy() {
        return policy;
    }

    /** Writes the weights in memory as version {@code next} and makes it the session's version. */
    Written commit(long next) throws IOException {
        if (next != version + 1) {
            throw new IllegalStateException("version " + next + " does not follow " + version);
        }
        Written w = writeCheckpoint(next);
        version = next;
        return w;
    }

    private Written writeCheckpoint(long v) throws IOException {
        return store.write(experiment, v, dir -> {
            trainer.save(dir, policy.tokenizer());
            if (tokenizerConfig != null) {
                Files.write(dir.resolve(TOKENIZER_CONFIG), tokenizerConfig);
            }
        });
    }

    @Override
    public void close() {
        trainer.close();
        policy.close();
    }
}
