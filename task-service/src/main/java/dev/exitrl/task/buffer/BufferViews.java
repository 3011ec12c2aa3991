package dev.exitrl.task.buffer;

import dev.exitrl.core.domain.TaskJson;
import dev.exitrl.core.score.LearnabilityScore;
import dev.exitrl.task.web.NotFoundException;
import dev.exitrl.taskapi.BufferItem;
import dev.exitrl.taskapi.BufferStats;
import dev.exitrl.taskapi.Lineage;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.ObjectMapper;

/**
 * Read-only views of an experiment's task space. They take no experiment lock: each view reads one snapshot
 * (repeatable read), so it never blocks leases or submits and its numbers agree with each other.
 */
@Service
class BufferViews {
    /**
     * Upper end of the score histogram: the largest learnability score; anything above (a domain with another score)
     * goes to the last bin.
     */
    static final double MAX_SCORE = LearnabilityScore.MAX;

    static final int SCORE_BINS = 10;

    private final JdbcClient jdbc;
    private final ObjectMapper mapper;

    BufferViews(JdbcClient jdbc, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
    }

    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public BufferStats stats(UUID experimentId) {
        int capacity = jdbc.sql("SELECT (config->>'bufferCapacity')::int FROM experiment WHERE id = ?")
                .param(experimentId)
                .query(Integer.class)
                .optional()
                .orElseThrow(() -> new NotFoundException("experiment", experimentId));
        record Aggregate(long size, Double min, Double max, Double mean, Double meanDepth) {}
        Aggregate buffer = jdbc.sql("""
                        SELECT count(*), min(score), max(score), avg(score), avg(depth)::float8
                          FROM task_instance WHERE experiment_id = ? AND in_buffer""")
                .param(experimentId)
                .query((rs, n) -> new Aggregate(
                        rs.getLong(1),
                        nullableDouble(rs, 2),
                        nullableDouble(rs, 3),
                        nullableDouble(rs, 4),
                        nullableDouble(rs, 5)))
                .single();

        // width_bucket gives 1..SCORE_BINS inside [0, MAX_SCORE), SCORE_BINS + 1 at or above the top, 0 below.
        long[] binCounts = new long[SCORE_BINS];
        jdbc.sql("""
                        SELECT least(greatest(width_bucket(score, 0, ?, ?), 1), ?) AS bin, count(*)
                          FROM task_instance WHERE experiment_id = ? AND in_buffer AND score IS NOT NULL
                         GROUP BY bin""")
                .param(MAX_SCORE)
                .param(SCORE_BINS)
                .param(SCORE_BINS)
                .param(experimentId)
                .query((ResultSet rs) -> {
                    binCounts[rs.getInt(1) - 1] = rs.getLong(2);
                });
        var scoreHistogram = new ArrayList<BufferStats.ScoreBin>(SCORE_BINS);
        for (int i = 0; i < SCORE_BINS; i++) {
            scoreHistogram.add(new BufferStats.ScoreBin(
                    i * MAX_SCORE / SCORE_BINS, (i + 1) * MAX_SCORE / SCORE_BINS, binCounts[i]));
        }

        List<BufferStats.DepthCount> depthHistogram = jdbc.sql("""
                        SELECT depth, count(*) FROM task_instance WHERE experiment_id = ? AND in_buffer
                         GROUP BY depth ORDER BY depth""")
                .param(experimentId)
                .query((rs, n) -> new BufferStats.DepthCount(rs.getInt(1), rs.getLong(2)))
                .list();
        long total = jdbc.sql("SELECT count(*) FROM task_instance WHERE experiment_id = ?")
                .param(experimentId)
                .query(Long.class)
                .single();
        List<BufferStats.SampledDepth> sampled = jdbc.sql("""
                        SELECT l.policy_version, count(*), avg(t.depth)::float8, max(t.depth),
                               avg(CASE WHEN s.from_buffer THEN 1.0 ELSE 0.0 END)::float8,
                               (SELECT count(DISTINCT g.instance_id)
                                  FROM rollout_group g JOIN training_queue q ON q.group_id = g.id
                                 WHERE g.experiment_id = l.experiment_id AND g.policy_version = l.policy_version
                                   AND q.state = 'CONSUMED')
                          FROM lease l
                          JOIN lease_slot s ON s.lease_id = l.id
                          JOIN task_instance t ON t.id = s.instance_id
                         WHERE l.experiment_id = ?
                         GROUP BY l.experiment_id, l.policy_version ORDER BY l.policy_version""")
                .param(experimentId)
                .query((rs, n) -> new BufferStats.SampledDepth(
                        rs.getLong(1), rs.getLong(2), rs.getDouble(3), rs.getInt(4), rs.getDouble(5), rs.getLong(6)))
                .list();
        return new BufferStats(
                buffer.size(),
                capacity,
                buffer.min(),
                buffer.max(),
                buffer.mean(),
                scoreHistogram,
                depthHistogram,
                buffer.meanDepth(),
                total,
                sampled);
    }

    /** The buffer's best items: score descending, older insertions first among equal scores. */
    @Transactional(readOnly = true)
    public List<BufferItem> top(UUID experimentId, int limit) {
        requireExperiment(experimentId);
        return jdbc.sql("""
                        SELECT i.id, i.base_task_id, b.task_key, i.depth, i.score, i.quality, i.times_sampled,
                               i.last_sampled_version, i.created_by, i.insertion_seq, i.history::text AS history
                          FROM task_instance i JOIN base_task b ON b.id = i.base_task_id
                         WHERE i.experiment_id = ? AND i.in_buffer
                         ORDER BY i.score DESC, i.insertion_seq ASC
                         LIMIT ?""")
                .param(experimentId)
                .param(limit)
                .query((rs, n) -> new BufferItem(
                        rs.getLong("id"),
                        rs.getLong("base_task_id"),
                        rs.getString("task_key"),
                        rs.getInt("depth"),
                        rs.getDouble("score"),
                        nullableDouble(rs, "quality"),
                        rs.getInt("times_sampled"),
                        rs.getObject("last_sampled_version", Long.class),
                        rs.getString("created_by"),
                        rs.getLong("insertion_seq"),
                        TaskJson.historyFromJson(rs.getString("history"))))
                .list();
    }

    /**
     * Ancestors and descendants by recursive CTEs over {@code parent_id}. A parent row always exists before its
     * child (it is what the child was generated from), so parent ids are smaller than child ids; the CTEs insist
     * on that, which guarantees they end even on corrupt data. Descendants are generated generation by
     * generation, and PostgreSQL evaluates a WITH query only as far as its reader fetches, so the LIMIT stops the
     * walk after {@code maxDescendants + 1} rows instead of expanding a huge subtree; the rows kept within the
     * last, cut generation are whichever came first.
     */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public Lineage lineage(UUID experimentId, long instanceId, int maxDescendants) {
        requireExperiment(experimentId);
        Lineage.Node instance = jdbc.sql(
                        "SELECT " + NODE_COLUMNS + " FROM task_instance" + " WHERE experiment_id = ? AND id = ?")
                .param(experimentId)
                .param(instanceId)
                .query(NODE)
                .optional()
                .orElseThrow(() -> new NotFoundException("task instance", instanceId));
        List<Lineage.Node> ancestors = jdbc.sql("""
                        WITH RECURSIVE up AS (
                            SELECT %1$s, 0 AS distance FROM task_instance WHERE id = ?
                            UNION ALL
                            SELECT %2$s, up.distance + 1
                              FROM task_instance t JOIN up ON t.id = up.parent_id AND t.id < up.id
                        )
                        SELECT %1$s FROM up WHERE distance > 0 ORDER BY distance DESC""".formatted(NODE_COLUMNS, prefixed("t")))
                .param(instanceId)
                .query(NODE)
                .list();
        List<Lineage.Node> descendants = new ArrayList<>(jdbc.sql("""
                        WITH RECURSIVE down AS (
                            SELECT %1$s, 0 AS generation FROM task_instance WHERE id = ?
                            UNION ALL
                            SELECT %2$s, down.generation + 1
                              FROM task_instance t JOIN down ON t.parent_id = down.id AND t.id > down.id
                        )
                        SELECT %1$s FROM (SELECT * FROM down WHERE generation > 0 LIMIT ?) d
                         ORDER BY generation, id""".formatted(NODE_COLUMNS, prefixed("t")))
                .param(instanceId)
                .param(maxDescendants + 1)
                .query(NODE)
                .list());
        boolean truncated = descendants.size() > maxDescendants;
        if (truncated) {
            descendants.remove(descendants.size() - 1);
        }
        return new Lineage(instance, ancestors, descendants, truncated);
    }

    private void requireExperiment(UUID experimentId) {
        boolean exists = jdbc.sql("SELECT EXISTS (SELECT 1 FROM experiment WHERE id = ?)")
                .param(experimentId)
                .query(Boolean.class)
                .single();
        if (!exists) {
            throw new NotFoundException("experiment", experimentId);
        }
    }

    private static final String NODE_COLUMNS = "id, parent_id, depth, score, quality, in_buffer, created_by";

    private static String prefixed(String alias) {
        return alias + "." + NODE_COLUMNS.replace(", ", ", " + alias + ".");
    }

    private static final RowMapper<Lineage.Node> NODE = (rs, n) -> new Lineage.Node(
            rs.getLong("id"),
            rs.getObject("parent_id", Long.class),
            rs.getInt("depth"),
            nullableDouble(rs, "score"),
            nullableDouble(rs, "quality"),
            rs.getBoolean("in_buffer"),
            rs.getString("created_by"));

    private static Double nullableDouble(ResultSet rs, int column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }

    private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }
}
