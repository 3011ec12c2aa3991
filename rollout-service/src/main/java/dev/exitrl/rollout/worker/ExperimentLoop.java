package dev.exitrl.rollout.worker;

import dev.exitrl.core.domain.DomainRegistry;
import dev.exitrl.core.reward.RewardMode;
import dev.exitrl.rollout.RolloutProperties;
import dev.exitrl.rollout.engine.BatchResult;
import dev.exitrl.rollout.engine.GroupResult;
import dev.exitrl.rollout.engine.RolloutEngine;
import dev.exitrl.rollout.engine.RolloutResult;
import dev.exitrl.rollout.engine.RolloutSlot;
import dev.exitrl.rollout.engine.SamplingSettings;
import dev.exitrl.rollout.sync.PolicyHolder;
import dev.exitrl.taskapi.ExperimentStatus;
import dev.exitrl.taskapi.ExperimentView;
import dev.exitrl.taskapi.LeaseRequest;
import dev.exitrl.taskapi.LeaseSlot;
import dev.exitrl.taskapi.LeaseView;
import dev.exitrl.taskapi.RolloutRecord;
import dev.exitrl.taskapi.SubmitGroup;
import dev.exitrl.taskapi.SubmitGroups;
import dev.exitrl.taskapi.SubmitOutcome;
import dev.exitrl.taskapi.TaskSpaceClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientException;

/**
 * The worker loop of one RUNNING experiment: wait for an announced checkpoint, then per batch: pull a newer policy
 * version if one was announced (between batches only), lease {@code min(promptsPerBatch, lease-batch-size)}
 * instances, roll them all out in one engine call, submit the lease's groups in one request. The loop ends after the
 * current batch once the experiment is no longer RUNNING.
 *
 * <p>Submits are retried as the same request (same idempotency keys, {@code leaseId:slot}) on a timeout, a lost
 * connection or a 5xx, so a submit that did land the first time is absorbed by the task space. A 4xx is not retried:
 * the lease expired or was released, or the task space refuses a value; the instances return to it by themselves.
 */
final class ExperimentLoop implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ExperimentLoop.class);

    enum Step {
        /** A batch was rolled out (and submitted or given up): go on at once. */
        BATCH,
        /** Nothing to do yet (no checkpoint, no policy, an empty lease): wait a poll interval. */
        IDLE,
        /** The experiment left RUNNING. */
        STOP
    }

    private final UUID experiment;
    private final TaskSpaceClient taskSpace;
    private final PolicyHolders policies;
    private final RolloutEngine engine;
    private final SamplingSettings sampling;
    private final RolloutProperties properties;
    private final RolloutMetrics metrics;
    /** Seeds differ per (experiment, worker), so workers with one configured seed do not draw the same samples. */
    private final long stream;

    private volatile boolean stopRequested;
    private long batches;

    ExperimentLoop(
            UUID experiment,
            TaskSpaceClient taskSpace,
            PolicyHolders policies,
            RolloutEngine engine,
            SamplingSettings sampling,
            RolloutProperties properties,
            RolloutMetrics metrics) {
        this.experiment = experiment;
        this.taskSpace = taskSpace;
        this.policies = policies;
        this.engine = engine;
        this.sampling = sampling;
        this.properties = properties;
        this.metrics = metrics;
        this.stream = experiment.getMostSignificantBits()
                ^ experiment.getLeastSignificantBits()
                ^ properties.workerId().hashCode();
    }

    /** Ends the loop after the current batch. */
    void stop() {
        stopRequested = true;
    }

    @Override
    public void run() {
        log.info("experiment {}: worker loop started", experiment);
        try {
            while (!stopRequested) {
                Step step;
                try {
                    step = step();
                } catch (IOException | RuntimeException e) {
                    log.warn(
                            "experiment {}: batch failed, retrying after {}: {}",
                            experiment,
                            properties.pollInterval(),
                            e.toString());
                    step = Step.IDLE;
                }
                if (step == Step.STOP) {
                    break;
                }
                if (step == Step.IDLE) {
                    Thread.sleep(properties.pollInterval().toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("experiment {}: worker loop stopped after {} batches", experiment, batches);
    }

    /** One pass: at most one batch. */
    Step step() throws IOException, InterruptedException {
        ExperimentView view = taskSpace.getExperiment(experiment);
        if (view.status() != ExperimentStatus.RUNNING) {
            return Step.STOP;
        }
        if (!view.hasCheckpoint()) {
            return Step.IDLE; // the trainer has not announced version 0 yet
        }
        PolicyHolder holder;
        try {
            holder = policies.sync(view);
        } catch (IOException e) {
            // Refused or failed download: never loaded; keep the version we have, try again at the next poll.
            log.warn(
                    "experiment {}: policy version {} not loaded: {}",
                    experiment,
                    view.policyVersion(),
                    e.getMessage());
            holder = policies.of(experiment);
        }
        Optional<PolicyHolder.PolicyLease> pinned = holder.acquire();
        if (pinned.isEmpty()) {
            return Step.IDLE;
        }
        try (PolicyHolder.PolicyLease policy = pinned.get()) {
            int size = Math.min(view.config().promptsPerBatch(), properties.leaseBatchSize());
            long t0 = System.nanoTime();
            LeaseView lease = taskSpace.lease(experiment, new LeaseRequest(properties.workerId(), size, null));
            metrics.leaseWait(experiment, System.nanoTime() - t0);
            if (lease.slots().isEmpty()) {
                return Step.IDLE;
            }
            BatchResult batch;
            try {
                batch = engine.run(
                        slots(lease.slots()),
                        DomainRegistry.standard().get(view.domain()),
                        rewardMode(lease.slots()),
                        view.config().diversityBonus(),
                        policy,
                        sampling.forBatch(SamplingSettings.mix(stream, batches)));
            } catch (RuntimeException e) {
                releaseQuietly(lease);
                throw e;
            }
            batches++;
            metrics.batch(experiment, batch);
            submit(lease, batch);
        }
        return Step.BATCH;
    }

    static List<RolloutSlot> slots(List<LeaseSlot> slots) {
        List<RolloutSlot> out = new ArrayList<>(slots.size());
        for (LeaseSlot s : slots) {
            out.add(new RolloutSlot(
                    s.slot(), s.baseTask(), s.stepKind(), s.history(), s.prompt(), s.parentQuality(), s.groupSize()));
        }
        return out;
    }

    /** The experiment's reward mode, which the task space sends with every slot. */
    static RewardMode rewardMode(List<LeaseSlot> slots) {
        RewardMode mode = slots.get(0).rewardMode();
        for (LeaseSlot s : slots) {
            if (s.rewardMode() != mode) {
                throw new IllegalStateException("one lease with two reward modes: " + mode + ", " + s.rewardMode());
            }
        }
        return mode;
    }

    /** The lease's groups as one batch request: one idempotency key per (lease, slot). */
    static SubmitGroups request(LeaseView lease, BatchResult batch) {
        List<SubmitGroup> groups = new ArrayList<>(batch.groups().size());
        for (GroupResult g : batch.groups()) {
            List<RolloutRecord> rollouts = new ArrayList<>(g.rollouts().size());
            for (RolloutResult r : g.rollouts()) {
                rollouts.add(new RolloutRecord(
                        r.response(),
                        r.quality(),
                        r.reward(),
                        r.feedback(),
                        r.history(),
                        r.tokenIds(),
                        r.logProbs(),
                        r.diversity(),
                        r.policyMask(),
                        r.truncated()));
            }
            groups.add(new SubmitGroup(
                    SubmitGroup.keyOf(lease.leaseId(), g.slot()),
                    lease.leaseId(),
                    g.slot(),
                    g.policyVersion(),
                    g.prompt(),
                    g.promptTokenIds(),
                    rollouts));
        }
        return new SubmitGroups(groups);
    }

    private void submit(LeaseView lease, BatchResult batch) throws InterruptedException {
        SubmitGroups request = request(lease, batch);
        int attempts = properties.submitAttempts();
        for (int attempt = 1; ; attempt++) {
            try {
                List<SubmitOutcome> outcomes = taskSpace.submitGroups(experiment, request);
                metrics.submitted(experiment, outcomes.size());
                return;
            } catch (HttpServerErrorException | ResourceAccessException e) {
                if (attempt >= attempts) {
                    metrics.submitFailed(experiment);
                    log.error(
                            "experiment {}: lease {} not submitted after {} attempts: {}",
                            experiment,
                            lease.leaseId(),
                            attempts,
                            e.toString());
                    return;
                }
                long backoff = Math.min(30_000L, 500L << Math.min(attempt, 6));
                log.warn(
                        "experiment {}: submit of lease {} failed ({}), same request again in {} ms",
                        experiment,
                        lease.leaseId(),
                        e.toString(),
                        backoff);
                Thread.sleep(backoff);
            } catch (HttpClientErrorException e) {
                metrics.submitFailed(experiment);
                log.error(
                        "experiment {}: lease {} refused by the task space: {} {}",
                        experiment,
                        lease.leaseId(),
                        e.getStatusCode(),
                        e.getResponseBodyAsString());
                return;
            }
        }
    }

    private void releaseQuietly(LeaseView lease) {
        try {
            taskSpace.releaseLease(experiment, lease.leaseId());
        } catch (RestClientException e) {
            log.warn(
                    "experiment {}: lease {} not released (it expires by itself): {}",
                    experiment,
                    lease.leaseId(),
                    e.toString());
        }
    }
}
