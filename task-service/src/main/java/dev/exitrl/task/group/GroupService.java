package dev.exitrl.task.group;

import dev.exitrl.core.buffer.Expansion;
import dev.exitrl.core.buffer.InMemoryBuffer.OfferResult;
import dev.exitrl.core.domain.BaseTask;
import dev.exitrl.core.domain.TaskJson;
import dev.exitrl.core.reward.RewardMode;
import dev.exitrl.core.reward.Rewards;
import dev.exitrl.core.score.LearnabilityScore;
import dev.exitrl.core.task.Group;
import dev.exitrl.core.task.History;
import dev.exitrl.core.task.PolicyVersion;
import dev.exitrl.core.task.Rollout;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.core.task.TaskInstance;
import dev.exitrl.task.TaskServiceProperties;
import dev.exitrl.task.metrics.TaskSpaceMetrics;
import dev.exitrl.task.space.BufferIndexes;
import dev.exitrl.task.space.BufferStore;
import dev.exitrl.task.space.ExperimentLocks;
import dev.exitrl.task.space.InstanceStore;
import dev.exitrl.task.space.ParentQuality;
import dev.exitrl.task.space.StoredRollouts;
import dev.exitrl.task.web.ConflictException;
import dev.exitrl.task.web.FieldError;
import dev.exitrl.task.web.InvalidRequestException;
import dev.exitrl.taskapi.ExperimentStatus;
import dev.exitrl.taskapi.RolloutRecord;
import dev.exitrl.taskapi.SubmitGroup;
import dev.exitrl.taskapi.SubmitOutcome;
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
 * Submits a group in ONE transaction under the experiment's row lock: store the group, re-score the parent with
 * the variance of the group's rewards, insert the children with the top-N rule (exit-core's {@link Expansion}, all
 * per-turn partial histories), enqueue the group for training, and close the lease slot. Nothing is written when
 * any check fails.
 *
 * <p>What is checked (each a 400 naming the field, or a 409):
 * <ul>
 *   <li>The idempotency key is bound to its (lease, slot): the same key again for the same slot returns the first
 *       outcome and changes nothing; the same key for another slot is a 409.</li>
 *   <li>The lease: a RELEASED lease takes no submits (409). An EXPIRED lease still takes the submit of a slot whose
 *       instance was not leased again since (the rollouts are real work of a real policy version, and the training
 *       queue's staleness rule decides whether they are trained on); once another lease holds the instance, 409.</li>
 *   <li>{@code policyVersion} is not newer than the experiment's announced version; {@code prompt}, when given,
 *       equals the slot's prompt (the domain renders it again, deterministically), else the slot's is stored.</li>
 *   <li>The reward is not trusted from the client: it is derived from the submitted quality, the parent's quality,
 *       the step kind and the experiment's reward mode (exit-core {@link Rewards}); a submitted reward that differs
 *       by more than {@value #REWARD_TOLERANCE} is refused.</li>
 *   <li>Sizes: responses, feedback and histories within {@code exit.task.limits.*}.</li>
 * </ul>
 * Randomness ({@code random-one} children) draws from a stream keyed by the experiment seed and the idempotency key.
 */
@Service
class GroupService {
    static final double REWARD_TOLERANCE = 1e-6;

    private final JdbcClient jdbc;
    private final ObjectMapper mapper;
    private final ExperimentLocks locks;
    private final InstanceStore instances;
    private final BufferStore buffer;
    private final BufferIndexes indexes;
    private final TaskServiceProperties.Limits limits;
    private final TaskSpaceMetrics metrics;

    GroupService(
            JdbcClient jdbc,
            ObjectMapper mapper,
            ExperimentLocks locks,
            InstanceStore instances,
            BufferStore buffer,
            BufferIndexes indexes,
            TaskServiceProperties properties,
            TaskSpaceMetrics metrics) {
        this.indexes = indexes;
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.locks = locks;
        this.instances = instances;
        this.buffer = buffer;
        this.limits = properties.limits();
        this.metrics = metrics;
    }

    @Transactional
    public SubmitOutcome submit(UUID experimentId, SubmitGroup request) {
        return metrics.submitLatency().record(() -> submitLocked(experimentId, request));
    }

    /** Submits several groups in one transaction: all are stored, or (on any error) none. */
    @Transactional
    public List<SubmitOutcome> submitAll(UUID experimentId, List<SubmitGroup> requests) {
        var outcomes = new ArrayList<SubmitOutcome>();
        for (int i = 0; i < requests.size(); i++) {
            var request = requests.get(i);
            try {
                outcomes.add(metrics.submitLatency().record(() -> submitLocked(experimentId, request)));
            } catch (InvalidRequestException e) {
                String prefix = "groups[" + i + "].";
                throw new InvalidRequestException(e.errors().stream()
                        .map(f -> new FieldError(prefix + f.field(), f.message()))
                        .toList());
            }
        }
        return outcomes;
    }

    private SubmitOutcome submitLocked(UUID experimentId, SubmitGroup request) {
        var experiment = locks.lock(experimentId);
        var replay = jdbc.sql("""
                        SELECT g.id, g.outcome::text, g.lease_id, ls.slot
                          FROM rollout_group g LEFT JOIN lease_slot ls ON ls.group_id = g.id
                         WHERE g.experiment_id = ? AND g.idempotency_key = ?""")
                .param(experimentId)
                .param(request.idempotencyKey())
                .query((rs, n) -> new StoredSubmit(
                        mapper.readValue(rs.getString(2), SubmitOutcome.class).withGroup(rs.getLong(1)),
                        rs.getObject(3, UUID.class),
                        rs.getObject(4, Integer.class)))
                .optional();
        if (replay.isPresent()) {
            var stored = replay.get();
            if (!request.leaseId().equals(stored.leaseId())
                    || stored.slot() == null
                    || stored.slot() != request.slot()) {
                throw new ConflictException("idempotency key '" + request.idempotencyKey() + "' was used for slot "
                        + stored.slot() + " of lease " + stored.leaseId() + "; a key belongs to one (lease, slot)");
            }
            metrics.replayed();
            return stored.outcome().asReplay();
        }
        if (experiment.status() != ExperimentStatus.RUNNING && experiment.status() != ExperimentStatus.PAUSED) {
            throw new ConflictException("experiment " + experimentId + " is " + experiment.status()
                    + "; groups are accepted while it is RUNNING or PAUSED");
        }
        var slot = jdbc.sql("""
                        SELECT ls.instance_id, ls.step_kind, ls.group_id, t.base_task_id, t.history::text, t.leased_by,
                               t.leased_until, b.payload::text, l.status, t.quality
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
                        TaskJson.baseTaskFromJson(rs.getString(8)),
                        rs.getString(9),
                        rs.getObject(10, Double.class)))
                .optional()
                .orElseThrow(() -> new InvalidRequestException(
                        "slot",
                        "lease " + request.leaseId() + " of experiment " + experimentId + " has no slot "
                                + request.slot()));
        if (slot.groupId() != null) {
            throw new ConflictException("slot " + request.slot() + " of lease " + request.leaseId()
                    + " was already submitted as group " + slot.groupId() + " under another idempotency key");
        }
        if ("RELEASED".equals(slot.leaseStatus())) {
            throw new ConflictException("lease " + request.leaseId() + " was released; its slots take no submits");
        }
        boolean ours = request.leaseId().equals(slot.leasedBy());
        boolean heldElsewhere = !ours
                && slot.leasedBy() != null
                && slot.leasedUntil() != null
                && slot.leasedUntil().getTime() > System.currentTimeMillis();
        if (heldElsewhere) {
            throw new ConflictException("lease " + request.leaseId() + " expired and instance " + slot.instanceId()
                    + " was leased again (lease " + slot.leasedBy() + "); submit it under that lease");
        }
        var config = experiment.config();
        var errors = new ArrayList<FieldError>();
        if (request.policyVersion() > experiment.policyVersion()) {
            errors.add(new FieldError(
                    "policyVersion",
                    "must not be newer than the experiment's announced version " + experiment.policyVersion() + ", was "
                            + request.policyVersion()));
        }
        String slotPrompt = experiment.domain().renderPrompt(slot.task(), slot.stepKind(), slot.history());
        if (request.prompt() != null && !request.prompt().equals(slotPrompt)) {
            errors.add(new FieldError("prompt", "must equal the slot's prompt (or be omitted)"));
        }
        if (request.rollouts().size() != config.rolloutsPerPrompt()) {
            errors.add(new FieldError(
                    "rollouts",
                    "must hold G = " + config.rolloutsPerPrompt() + " rollouts for this experiment, was "
                            + request.rollouts().size()));
        }
        var parent = TaskInstance.of(slot.task().ref(), slot.history());
        Double parentQuality = ParentQuality.of(experiment.domain(), slot.task(), slot.history(), slot.parentQuality());
        var rollouts = rollouts(
                parent, slot.stepKind(), config.effectiveRewardMode(), parentQuality, request.rollouts(), errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        var group = new Group(parent, slot.stepKind(), new PolicyVersion(request.policyVersion()), rollouts);
        double score = LearnabilityScore.of(group);
        // The parent stays leased only when another (newer) lease holds it; ours ends with this submit.
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
        // Stored exactly as the trainer will claim it: the typed rollouts, with the derived rewards.
        var stored = new StoredRollouts(request.promptTokenIds(), storedRecords(request.rollouts(), rollouts));
        int generatedTokens = generatedTokens(request.rollouts());
        long groupId = jdbc.sql("""
                        WITH g AS (
                            INSERT INTO rollout_group (experiment_id, instance_id, lease_id, step_kind, policy_version, prompt,
                                                       rollouts, score, idempotency_key, outcome, generated_tokens,
                                                       mean_reward, mean_quality)
                            VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?::jsonb, ?, ?, ?)
                            RETURNING id, experiment_id, policy_version)
                        INSERT INTO training_queue (group_id, experiment_id, policy_version, state)
                        SELECT id, experiment_id, policy_version, 'READY' FROM g
                        RETURNING group_id""")
                .param(experimentId)
                .param(slot.instanceId())
                .param(request.leaseId())
                .param(slot.stepKind().name())
                .param(request.policyVersion())
                .param(slotPrompt)
                .param(mapper.writeValueAsString(stored))
                .param(score)
                .param(request.idempotencyKey())
                .param(mapper.writeValueAsString(outcome))
                .param(generatedTokens)
                .param(rollouts.stream().mapToDouble(Rollout::reward).average().orElse(0))
                .param(rollouts.stream().mapToDouble(Rollout::quality).average().orElse(0))
                .query(Long.class)
                .single();
        // The progress view's token counter, kept in this transaction (the experiment row is locked already).
        jdbc.sql("UPDATE experiment SET tokens_generated = tokens_generated + ? WHERE id = ?")
                .param(generatedTokens)
                .param(experimentId)
                .update();
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
        metrics.submitted();
        return outcome.withGroup(groupId);
    }

    /**
     * The exit-core rollouts of a submit, with rewards derived (never trusted); every problem goes to {@code errors}
     * under its field, once.
     */
    private List<Rollout> rollouts(
            TaskInstance parent,
            StepKind kind,
            RewardMode mode,
            Double parentQuality,
            List<RolloutRecord> results,
            List<FieldError> errors) {
        var out = new ArrayList<Rollout>();
        for (int i = 0; i < results.size(); i++) {
            var r = results.get(i);
            String at = "rollouts[" + i + "].";
            int before = errors.size();
            if (r.response().length() > limits.maxResponseChars()) {
                errors.add(new FieldError(
                        at + "response", "must be at most " + limits.maxResponseChars() + " characters"));
            }
            if (r.feedback() != null && r.feedback().length() > limits.maxFeedbackChars()) {
                errors.add(new FieldError(
                        at + "feedback", "must be at most " + limits.maxFeedbackChars() + " characters"));
            }
            if (r.tokenIds() != null && r.logProbs() != null && r.logProbs().length != r.tokenIds().length) {
                errors.add(new FieldError(
                        at + "logProbs",
                        "must have one entry per token id (" + r.tokenIds().length + "), had " + r.logProbs().length));
            }
            if (r.policyMask() != null && (r.tokenIds() == null || r.policyMask().length != r.tokenIds().length)) {
                errors.add(new FieldError(
                        at + "policyMask",
                        "must have one entry per token id ("
                                + (r.tokenIds() == null ? "no tokenIds were sent" : r.tokenIds().length) + "), had "
                                + r.policyMask().length));
            }
            if (r.logProbs() != null && !allFinite(r.logProbs())) {
                errors.add(new FieldError(at + "logProbs", "must all be finite"));
            }
            if (r.diversity() != null && !(Double.isFinite(r.diversity()) && r.diversity() >= 0)) {
                errors.add(new FieldError(at + "diversity", "must be finite and >= 0, was " + r.diversity()));
            }
            double reward = Double.NaN;
            if (!Double.isFinite(r.reward())) {
                errors.add(new FieldError(at + "reward", "must be finite, was " + r.reward()));
            } else {
                reward = Rewards.reward(mode, kind, parentQuality == null ? 0 : parentQuality, r.quality());
                if (Math.abs(reward - r.reward()) > REWARD_TOLERANCE) {
                    errors.add(new FieldError(
                            at + "reward",
                            "must equal the " + mode.id() + " reward of quality " + r.quality() + " for a " + kind
                                    + " step" + (parentQuality == null ? "" : " from quality " + parentQuality) + " ("
                                    + reward + "), was " + r.reward()));
                }
            }
            History history = null;
            try {
                history = r.history() == null ? parent.answeredWith(r.response(), r.feedback()) : r.history();
                if (history.isEmpty()) {
                    errors.add(new FieldError(at + "history", "must hold at least one turn"));
                } else if (history.turnCount() > limits.maxHistoryTurns()) {
                    errors.add(
                            new FieldError(at + "history", "must hold at most " + limits.maxHistoryTurns() + " turns"));
                } else if (TaskInstance.depthOf(history) > limits.maxDepth()) {
                    errors.add(new FieldError(at + "history", "must be at most " + limits.maxDepth() + " deep"));
                }
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(at + "history", e.getMessage()));
            }
            if (errors.size() == before) {
                out.add(new Rollout(history, r.quality(), reward));
            }
        }
        return out;
    }

    /** The records as stored and claimed: the submitted ones with the derived reward and the resolved history. */
    private static List<RolloutRecord> storedRecords(List<RolloutRecord> submitted, List<Rollout> rollouts) {
        var out = new ArrayList<RolloutRecord>();
        for (int i = 0; i < submitted.size(); i++) {
            var r = submitted.get(i);
            var rollout = rollouts.get(i);
            out.add(new RolloutRecord(
                    r.response(),
                    r.quality(),
                    rollout.reward(),
                    r.feedback(),
                    rollout.history(),
                    r.tokenIds(),
                    r.logProbs(),
                    r.diversity(),
                    r.policyMask(),
                    r.truncated()));
        }
        return out;
    }

    /** Response tokens of a group: its rollouts' token ids (a rollout submitted without them counts none). */
    private static int generatedTokens(List<RolloutRecord> rollouts) {
        int tokens = 0;
        for (RolloutRecord r : rollouts) {
            tokens += r.tokenIds() == null ? 0 : r.tokenIds().length;
        }
        return tokens;
    }

    private static boolean allFinite(float[] values) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
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

    private record StoredSubmit(SubmitOutcome outcome, UUID leaseId, Integer slot) {}

    private record LeasedSlot(
            long instanceId,
            StepKind stepKind,
            Long groupId,
            long baseTaskId,
            History history,
            UUID leasedBy,
            Timestamp leasedUntil,
            BaseTask task,
            String leaseStatus,
            Double parentQuality) {}
}
