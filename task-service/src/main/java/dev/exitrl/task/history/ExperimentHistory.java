package dev.exitrl.task.history;

import dev.exitrl.core.task.StepKind;
import dev.exitrl.task.web.NotFoundException;
import dev.exitrl.taskapi.HistoryPoint;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Per-policy-version points computed from {@code rollout_group} (see {@link HistoryPoint} for what each number
 * means). Nothing is stored for the history: the groups already are the record, so the series survives restarts and
 * needs no writer. It reads one snapshot (repeatable read) and takes no experiment lock, so it never blocks leases or
 * submits. It reads the per-group numbers stored at submit (mean reward, mean quality, generated tokens, the submit's
 * answer), never the rollouts' JSON, and only for versions at or after {@code fromVersion}, so a poller that asks
 * from its last version reads only the newest groups.
 */
@Service
class ExperimentHistory {
    private final JdbcClient jdbc;

    ExperimentHistory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public List<HistoryPoint> points(UUID experimentId, long fromVersion) {
        boolean exists = jdbc.sql("SELECT count(*) FROM experiment WHERE id = ?")
                        .param(experimentId)
                        .query(Long.class)
                        .single()
                > 0;
        if (!exists) {
            throw new NotFoundException("experiment", experimentId);
        }
        var builders = new TreeMap<Long, Builder>();
        jdbc.sql("""
                        SELECT g.policy_version, min(g.created_at), max(g.created_at), count(*),
                               count(*) FILTER (WHERE q.state = 'CONSUMED'),
                               (array_agg((g.outcome->>'bufferSize')::int ORDER BY g.id DESC))[1]
                          FROM rollout_group g LEFT JOIN training_queue q ON q.group_id = g.id
                         WHERE g.experiment_id = ? AND g.policy_version >= ?
                         GROUP BY g.policy_version""").param(experimentId).param(fromVersion).query((ResultSet rs) -> {
            var b = new Builder(rs.getLong(1));
            b.first = instant(rs, 2);
            b.last = instant(rs, 3);
            b.groups = rs.getLong(4);
            b.trained = rs.getLong(5);
            b.bufferSize = rs.getInt(6);
            builders.put(b.version, b);
        });
        if (builders.isEmpty()) {
            return List.of();
        }
        // Each group's mean reward, mean quality and token count were stored at submit; every group of an
        // experiment has G rollouts (the submit refuses any other size), so the mean of group means is the mean
        // over rollouts.
        int groupSize = jdbc.sql("SELECT (config->>'rolloutsPerPrompt')::int FROM experiment WHERE id = ?")
                .param(experimentId)
                .query(Integer.class)
                .single();
        jdbc.sql("""
                        SELECT policy_version, step_kind, count(*), avg(mean_reward), avg(mean_quality),
                               sum(generated_tokens)
                          FROM rollout_group
                         WHERE experiment_id = ? AND policy_version >= ?
                         GROUP BY policy_version, step_kind""").param(experimentId).param(fromVersion).query((ResultSet rs) -> {
            var b = builders.get(rs.getLong(1));
            var kind = StepKind.valueOf(rs.getString(2));
            b.groupsByKind.put(kind, rs.getLong(3));
            b.rollouts += rs.getLong(3) * groupSize;
            b.reward.put(kind, rs.getDouble(4));
            b.quality.put(kind, rs.getDouble(5));
            b.tokens += rs.getLong(6);
        });
        jdbc.sql("""
                        SELECT g.policy_version, t.depth, count(*)
                          FROM rollout_group g JOIN task_instance t ON t.id = g.instance_id
                         WHERE g.experiment_id = ? AND g.policy_version >= ?
                         GROUP BY g.policy_version, t.depth""").param(experimentId).param(fromVersion).query((ResultSet rs) -> {
            builders.get(rs.getLong(1)).depths.put(rs.getInt(2), rs.getLong(3));
        });
        // Where the first returned version's throughput window starts: the last submit of the version before it.
        Instant previousLast = jdbc.sql("""
                        SELECT max(created_at) FROM rollout_group
                         WHERE experiment_id = ? AND policy_version < ?""")
                .param(experimentId)
                .param(builders.firstKey())
                .query((rs, n) -> instant(rs, 1))
                .list()
                .get(0); // max() of no rows is one row holding null
        var points = new ArrayList<HistoryPoint>(builders.size());
        for (var b : builders.values()) {
            points.add(b.build(previousLast == null ? b.first : previousLast));
            previousLast = b.last;
        }
        return points;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        var time = rs.getTimestamp(column);
        return time == null ? null : time.toInstant();
    }

    /** One version's numbers while the three queries fill them in. */
    private static final class Builder {
        final long version;
        Instant first;
        Instant last;
        long groups;
        long trained;
        int bufferSize;
        long rollouts;
        long tokens;
        final Map<StepKind, Long> groupsByKind = new EnumMap<>(StepKind.class);
        final Map<StepKind, Double> reward = new EnumMap<>(StepKind.class);
        final Map<StepKind, Double> quality = new EnumMap<>(StepKind.class);
        final Map<Integer, Long> depths = new TreeMap<>();

        Builder(long version) {
            this.version = version;
        }

        HistoryPoint build(Instant windowStart) {
            long nanos = Duration.between(windowStart, last).toNanos();
            Double tokensPerSecond = nanos > 0 ? tokens / (nanos / 1e9) : null;
            long depthSum = 0;
            long depthCount = 0;
            for (var e : depths.entrySet()) {
                depthSum += (long) e.getKey() * e.getValue();
                depthCount += e.getValue();
            }
            return new HistoryPoint(
                    version,
                    first,
                    last,
                    groups,
                    rollouts,
                    trained,
                    groupsByKind,
                    reward,
                    quality,
                    depths,
                    depthCount == 0 ? 0 : (double) depthSum / depthCount,
                    tokens,
                    tokensPerSecond,
                    bufferSize);
        }
    }
}
