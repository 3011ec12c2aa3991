package dev.exitrl.trainer.loop;

import dev.exitrl.core.experiment.ExperimentConfig;
import dev.exitrl.taskapi.AckRequest;
import dev.exitrl.taskapi.ClaimOutcome;
import dev.exitrl.taskapi.ClaimRequest;
import dev.exitrl.taskapi.ClaimView;
import dev.exitrl.taskapi.ClaimedGroup;
import dev.exitrl.taskapi.ExperimentStatus;
import dev.exitrl.taskapi.ExperimentView;
import dev.exitrl.taskapi.PolicyVersionRequest;
import dev.exitrl.taskapi.PolicyVersionView;
import dev.exitrl.taskapi.StatusChange;
import dev.exitrl.taskapi.TaskSpaceClient;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.function.LongPredicate;

/**
 * The task space's training side for one experiment, in memory: the experiment view, a queue of ready batches,
 * claims, acknowledgements, releases and announcements (announcements only move forward, like the real one). Only
 * the calls the trainer makes are answered.
 */
final class FakeTaskSpace {

    final UUID id = UUID.randomUUID();
    final ExperimentConfig config;
    ExperimentStatus status = ExperimentStatus.RUNNING;
    long policyVersion;
    String checkpointUri;
    String sha256;

    final Deque<List<ClaimedGroup>> ready = new ArrayDeque<>();
    final List<ClaimRequest> claims = new ArrayList<>();
    final List<UUID> acknowledged = new ArrayList<>();
    /** What each acknowledgement reported (null for one sent without a report). */
    final List<AckRequest> ackReports = new ArrayList<>();

    final List<UUID> released = new ArrayList<>();
    final List<PolicyVersionRequest> announcements = new ArrayList<>();
    final List<ExperimentStatus> statusChanges = new ArrayList<>();
    /** Versions whose announcement "kills" the trainer: the call throws before the task space records it. */
    LongPredicate killOnAnnounce = v -> false;

    FakeTaskSpace(ExperimentConfig config) {
        this.config = config;
    }

    ExperimentView view() {
        return new ExperimentView(
                id,
                "test",
                config.domain(),
                config.preset().toString(),
                status,
                config.seed(),
                policyVersion,
                checkpointUri,
                sha256,
                config,
                Instant.EPOCH,
                Instant.EPOCH);
    }

    List<Long> announcedVersions() {
        return announcements.stream().map(PolicyVersionRequest::version).toList();
    }

    TaskSpaceClient client() {
        return (TaskSpaceClient) Proxy.newProxyInstance(
                TaskSpaceClient.class.getClassLoader(), new Class<?>[] {TaskSpaceClient.class}, (proxy, m, args) -> {
                    switch (m.getName()) {
                        case "listExperiments":
                            return List.of(view());
                        case "claim":
                            return claim((ClaimRequest) args[1]);
                        case "acknowledgeClaim":
                            acknowledged.add((UUID) args[1]);
                            ackReports.add(args.length > 2 ? (AckRequest) args[2] : null);
                            return new ClaimOutcome((UUID) args[1], 1);
                        case "releaseClaim":
                            released.add((UUID) args[1]);
                            return new ClaimOutcome((UUID) args[1], 1);
                        case "announceVersion":
                            return announce((PolicyVersionRequest) args[1]);
                        case "listEvaluations":
                            return List.of();
                        case "changeStatus":
                            status = ((StatusChange) args[1]).status();
                            statusChanges.add(status);
                            return view();
                        case "toString":
                            return "FakeTaskSpace";
                        default:
                            throw new UnsupportedOperationException(m.getName());
                    }
                });
    }

    private ClaimView claim(ClaimRequest request) {
        claims.add(request);
        long current = request.currentVersion() == null ? policyVersion : request.currentVersion();
        if (ready.isEmpty()) {
            return new ClaimView(null, null, current, 0, List.of());
        }
        return new ClaimView(UUID.randomUUID(), Instant.now().plusSeconds(600), current, 0, ready.poll());
    }

    private PolicyVersionView announce(PolicyVersionRequest r) {
        if (killOnAnnounce.test(r.version())) {
            throw new IllegalStateException("trainer killed before announcing version " + r.version());
        }
        if (checkpointUri != null && r.version() < policyVersion) {
            throw new IllegalArgumentException("versions only move forward");
        }
        announcements.add(r);
        policyVersion = r.version();
        checkpointUri = r.checkpointUri();
        sha256 = r.sha256();
        return new PolicyVersionView(id, policyVersion, checkpointUri, sha256);
    }
}
