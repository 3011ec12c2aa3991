package dev.exitrl.task.group;

import dev.exitrl.core.buffer.Expansion;
import dev.exitrl.core.buffer.InMemoryBuffer.OfferResult;
import dev.exitrl.core.buffer.LearnabilityScore;
import dev.exitrl.core.domain.BaseTask;
import dev.exitrl.core.domain.TaskJson;
import dev.exitrl.core.task.Group;
import dev.exitrl.core.task.History;
import dev.exitrl.core.task.PolicyVersion;
import dev.exitrl.core.task.Rollout;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.core.task.TaskInstance;
import dev.exitrl.task.experiment.ExperimentStatus;
import dev.exitrl.task.space.BufferIndexes;
import dev.exitrl.task.space.BufferStore;
import dev.exitrl.task.space.ExperimentLocks;
import dev.exitrl.task.space.InstanceStore;
import dev.exitrl.task.web.ConflictException;
import dev.exitrl.task.web.FieldError;
import dev.exitrl.task.web.InvalidRequestException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.ObjectMapper;

/**
 * Submits a group in ONE transaction under the experiment's row lock: store the group, re-score the parent,
 * insert the children with the top-N rule (exit-core's {@link Expansion}, all per-turn partial histories), enqueue
 * the group for training, and close the lease slot. The same idempotency key again returns the first outcome.
 *
 * <p>A group whose lease has expired is still accepted as long as its slot was not submitted: the rollouts are
 * real work of a real policy version, and the training queue's staleness rule decides whether they are trained on.
 * Randomness ({@code random-one} children) draws from a stream keyed by the experiment seed and the idempotency key.
 */
@Service
class GroupService {
    private final JdbcClient jdbc;
    private final ObjectMapper mapper;
    private final ExperimentLocks locks;
    private final InstanceStore instances;
    private final BufferStore buffer;
    private final BufferIndexes indexes;
    private final Timer submitTimer;
    private final Counter submits;
    private final Counter replays;

    GroupService(
            JdbcClient jdbc,
            ObjectMapper mapper,
            ExperimentLocks locks,
            InstanceStore instances,
            BufferStore buffer,
            BufferIndexes indexes,
            MeterRegistry meters) {
        this.indexes = indexes;
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.locks = locks;
        this.instances = instances;
        this.buffer = buffer;
        this.submitTimer = Timer.builder("exit.submit.latency")
                .description("time to store a group and update the buffer")
                .publishPercentileHistogram()
                .register(meters);
        this.submits =
                Counter.builder("exit.submits").description("groups stored").register(meters);
        this.replays = Counter.builder("exit.submit.replays")
                .description("idempotent replays of a submit")
                .register(meters);
    }

    @Transactional
    public SubmitOutcome submit(UUID experimentId, GroupController.SubmitGroup request) {
        return submitTimer.record(() -> submitLocked(experimentId, request));
    }

    /** Submits several groups in one transaction: all are stored, or (on any error) none. */
    @Transactional
    public List<SubmitOutcome> submitAll(UUID experimentId, List<GroupController.SubmitGroup> requests) {
        var outcomes = new ArrayList<SubmitOutcome>();
        for (int i = 0; i < requests.size(); i++) {
            var request = requests.get(i);
            try {
                outcomes.add(submitTimer.record(() -> submitLocked(experimentId, request)));
            } catch (InvalidRequestException e) {
                String prefix = "groups[" + i + "].";
                throw new InvalidRequestException(e.errors().stream()
                        .map(f -> new FieldError(prefix + f.field(), f.message()))
                        .toList());
            }
        }
        return outcomes;
    }

    private SubmitOutcome submitLocked(UUID experimentId, GroupController.SubmitGroup request) {
        var experiment = locks.lock(experimentId);
        var replay = jdbc.sql(
                        "SELECT id, outcome::text FROM rollout_group WHERE experiment_id = ? AND idempotency_key = ?")
                .param(experimentId)
                .param(request.idempotencyKey())
                .query((rs, n) ->
                        mapper.readValue(rs.getString(2), SubmitOutcome.class).withGroup(rs.getLong(1)))
                .optional();
        if (replay.isPresent()) {
            replays.increment();
            return replay.get().asReplay();
        }
        if (experiment.status() != ExperimentStatus.RUNNING && experiment.status() != ExperimentStatus.PAUSED) {
            throw new ConflictException("experiment " + experimentId + " is " + experiment.status()
                    + "; groups are accepted while it is RUNNING or PAUSED");
        }
        var slot = jdbc.sql("""
                        SELECT ls.instance_id, ls.step_kind, ls.group_id, t.base_task_id, t.history::text, t.leased_by,
                               t.leased_until, b.payload::text
                          FROM lease l
                          JOIN lease_slot ls ON ls.lease_id = l.id
                          JOIN task_instance t ON t.id = ls.instance_id
                          JOIN base_task b ON b.id = t.base_task_id
                         WHERE l.id = ? AND l.experiment_id = ? AND ls.slot = ?""")
                .param(request.leaseId())
                .param(experimentId)
                .param(request.slot())
                .query((rs, n) -> new LeasedSlot(
                        rs.getLong(1),
                        StepKind.valueOf(rs.getString(2)),
                        rs.getObject(3, Long.class),
                        rs.getLong(4),
                        TaskJson.historyFromJson(rs.getString(5)),
                        rs.getObject(6, UUID.class),
                        rs.getTimestamp(7),
                        TaskJson.baseTaskFromJson(rs.getString(8))))
                .optional()
                .orElseThrow(() -> new InvalidRequestException(
                        "slot",
                        "lease " + request.leaseId() + " of experiment " + experimentId + " has no slot "
                                + request.slot()));
        if (slot.groupId() != null) {
            throw new ConflictException("slot " + request.slot() + " of lease " + request.leaseId()
                    + " was already submitted as group " + slot.groupId() + " under another idempotency key");
        }
        var parent = TaskInstance.of(slot.task().ref(), slot.history());
        var config = experiment.config();
        if (request.rollouts().size() != config.rolloutsPerPrompt()) {
            throw new InvalidRequestException(
                    "rollouts",
                    "must hold G = " + config.rolloutsPerPrompt() + " rollouts for this experiment, was "
                            + request.rollouts().size());
        }
        var rollouts = rollouts(parent, request.rollouts());
        var group = new Group(parent, slot.stepKind(), new PolicyVersion(request.policyVersion()), rollouts);
        double score = LearnabilityScore.of(group.qualities());
        // The parent stays leased only when another (newer) lease holds it; ours ends with this submit.
        boolean ours = request.leaseId().equals(slot.leasedBy());
        long parentLeasedUntil =
                ours || slot.leasedUntil() == null ? 0 : slot.leasedUntil().getTime();

        String parentOutcome = "not-buffered";
        int offered = 0;
        int added = 0;
        var index = indexes.forUpdate(experiment);
        if (config.usesBuffer()) {
            try (var session = buffer.open(experiment, index)) {
                parentOutcome =
                        id(session.rescore(slot.instanceId(), score, experiment.policyVersion(), parentLeasedUntil));
                if (config.selfIteration()) {
                    var random = new SplittableRandom(
                            experiment.seed() ^ request.idempotencyKey().hashCode() * 0x9E3779B97F4A7C15L);
                    var children = Expansion.children(group, config.childPolicy(), random);
                    var rows = children.stream()
                            .map(child -> new InstanceStore.NewInstance(
                                    slot.baseTaskId(),
                                    slot.instanceId(),
                                    child.history(),
                                    slot.stepKind(),
                                    qualityOf(child.history(), rollouts)))
                            .toList();
                    for (var row : instances.upsertAll(experimentId, rows)) {
                        offered++;
                        var result =
                                session.offer(row.id(), score, experiment.policyVersion(), row.leasedUntilMillis());
                        if (result == OfferResult.ADDED || result == OfferResult.REPLACED_MIN) {
                            added++;
                        }
                    }
                }
            }
        }
        if (ours) {
            jdbc.sql("UPDATE task_instance SET leased_by = NULL, leased_until = NULL WHERE id = ?")
                    .param(slot.instanceId())
                    .update();
            index.setLeasedUntil(slot.instanceId(), 0);
        }
        var outcome =
                new SubmitOutcome(0, slot.instanceId(), score, parentOutcome, offered, added, index.size(), false);
        long groupId = jdbc.sql("""
                        WITH g AS (
                            INSERT INTO rollout_group (experiment_id, instance_id, lease_id, step_kind, policy_version, prompt,
                                                       rollouts, score, idempotency_key, outcome)
                            VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?::jsonb) RETURNING id, experiment_id, policy_version)
                        INSERT INTO training_queue (group_id, experiment_id, policy_version, state)
                        SELECT id, experiment_id, policy_version, 'READY' FROM g
                        RETURNING group_id""")
                .param(experimentId)
                .param(slot.instanceId())
                .param(request.leaseId())
                .param(slot.stepKind().name())
                .param(request.policyVersion())
                .param(request.prompt())
                .param(mapper.writeValueAsString(new StoredRollouts(request.promptTokenIds(), request.rollouts())))
                .param(score)
                .param(request.idempotencyKey())
                .param(mapper.writeValueAsString(outcome))
                .query(Long.class)
                .single();
        jdbc.sql("""
                WITH s AS (UPDATE lease_slot SET group_id = ? WHERE lease_id = ? AND slot = ? RETURNING lease_id)
                UPDATE lease SET status = 'COMPLETED', closed_at = now()
                 WHERE id = ? AND status = 'ACTIVE'
                   AND NOT EXISTS (SELECT 1 FROM lease_slot WHERE lease_id = ? AND group_id IS NULL AND slot <> ?)""")
                .param(groupId)
                .param(request.leaseId())
                .param(request.slot())
                .param(request.leaseId())
                .param(request.leaseId())
                .param(request.slot())
                .update();
        submits.increment();
        return outcome.withGroup(groupId);
    }

    private List<Rollout> rollouts(TaskInstance parent, List<GroupController.RolloutResult> results) {
        var out = new ArrayList<Rollout>();
        var errors = new ArrayList<FieldError>();
        for (int i = 0; i < results.size(); i++) {
            var r = results.get(i);
            if (!Double.isFinite(r.reward())) {
                errors.add(new FieldError("rollouts[" + i + "].reward", "must be finite"));
            }
            if (r.logProbs() != null
                    && r.tokenIds() != null
                    && r.logProbs().size() != r.tokenIds().size()) {
                errors.add(new FieldError(
                        "rollouts[" + i + "].logProbs",
                        "must have one entry per token id (" + r.tokenIds().size() + "), had "
                                + r.logProbs().size()));
            }
            History history;
            try {
                history = r.history() == null || r.history().isNull()
                        ? parent.answeredWith(r.response(), r.feedback())
                        : TaskJson.historyFromTree(r.history());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("rollouts[" + i + "].history", e.getMessage()));
                continue;
            }
            if (history.isEmpty()) {
                errors.add(new FieldError("rollouts[" + i + "].history", "must hold at least one turn"));
                continue;
            }
            out.add(new Rollout(history, r.quality(), r.reward()));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return out;
    }

    /** The quality of the rollout whose history this child is (null for a partial history of a longer one). */
    private static Double qualityOf(History history, List<Rollout> rollouts) {
        for (Rollout r : rollouts) {
            if (r.history().equals(history)) {
                return r.quality();
            }
        }
        return null;
    }

    private static String id(OfferResult result) {
        return result.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private record LeasedSlot(
            long instanceId,
            StepKind stepKind,
            Long groupId,
            long baseTaskId,
            History history,
            UUID leasedBy,
            Timestamp leasedUntil,
            BaseTask task) {}

    /** What the trainer needs of a group besides its row: prompt tokens and every rollout as submitted. */
    record StoredRollouts(List<Integer> promptTokenIds, List<GroupController.RolloutResult> rollouts) {}
}
