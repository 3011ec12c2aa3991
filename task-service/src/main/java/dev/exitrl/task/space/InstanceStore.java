package dev.exitrl.task.space;

import dev.exitrl.core.domain.TaskJson;
import dev.exitrl.core.task.History;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.core.task.TaskInstance;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Task instance rows (plain SQL). An instance is identified by (experiment, base task, history hash). */
@Component
public class InstanceStore {
    private final JdbcClient jdbc;

    InstanceStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The row id of the instance with this history, inserting it if new. An existing row keeps its lineage and
     * quality (the first time an instance appears is its origin).
     */
    public long upsert(
            UUID experimentId, long baseTaskId, Long parentId, History history, StepKind createdBy, Double quality) {
        return upsertAll(experimentId, List.of(new NewInstance(baseTaskId, parentId, history, createdBy, quality)))
                .get(0)
                .id();
    }

    /** A row to insert unless its (base task, history) exists already. */
    public record NewInstance(long baseTaskId, Long parentId, History history, StepKind createdBy, Double quality) {}

    /** The row of a {@link NewInstance}: its id and current lease expiry (0 when not leased). */
    public record Upserted(long id, long leasedUntilMillis) {}

    /**
     * {@link #upsert} for many rows in one statement; the answer is aligned with {@code rows}. Existing rows keep
     * their lineage and quality.
     */
    public List<Upserted> upsertAll(UUID experimentId, List<NewInstance> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        int n = rows.size();
        Long[] baseTaskIds = new Long[n];
        Long[] parentIds = new Long[n];
        Integer[] depths = new Integer[n];
        String[] histories = new String[n];
        String[] hashes = new String[n];
        String[] createdBy = new String[n];
        Double[] qualities = new Double[n];
        for (int i = 0; i < n; i++) {
            var row = rows.get(i);
            baseTaskIds[i] = row.baseTaskId();
            parentIds[i] = row.parentId();
            depths[i] = TaskInstance.depthOf(row.history());
            histories[i] = TaskJson.toJson(row.history());
            hashes[i] = sha256(histories[i]);
            createdBy[i] = row.createdBy() == null ? null : row.createdBy().name();
            qualities[i] = row.quality();
        }
        return jdbc.sql("""
                        WITH input AS (
                            SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::int[], ?::text[], ?::text[], ?::text[], ?::float8[])
                                   WITH ORDINALITY AS i(base_task_id, parent_id, depth, history, hash, created_by, quality, ord)),
                        inserted AS (
                            INSERT INTO task_instance (experiment_id, base_task_id, parent_id, depth, history, history_hash,
                                                       created_by, quality)
                            SELECT ?, base_task_id, parent_id, depth, history::jsonb, hash, created_by, quality FROM input
                            ON CONFLICT (experiment_id, base_task_id, history_hash) DO NOTHING
                            RETURNING id, base_task_id, history_hash)
                        SELECT coalesce(n.id, t.id), t.leased_until
                          FROM input i
                          LEFT JOIN inserted n ON n.base_task_id = i.base_task_id AND n.history_hash = i.hash
                          LEFT JOIN task_instance t
                                 ON t.experiment_id = ? AND t.base_task_id = i.base_task_id AND t.history_hash = i.hash
                         ORDER BY i.ord""")
                .param(baseTaskIds)
                .param(parentIds)
                .param(depths)
                .param(histories)
                .param(hashes)
                .param(createdBy)
                .param(qualities)
                .param(experimentId)
                .param(experimentId)
                .query((rs, k) -> {
                    var leased = rs.getTimestamp(2);
                    return new Upserted(rs.getLong(1), leased == null ? 0 : leased.getTime());
                })
                .list();
    }

    public List<StoredInstance> byIds(UUID experimentId, List<Long> ids) {
        return jdbc.sql(SELECT + " WHERE experiment_id = ? AND id = ANY(?)")
                .param(experimentId)
                .param(ids.toArray(Long[]::new))
                .query(ROW)
                .list();
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }

    static final String SELECT = "SELECT id, base_task_id, parent_id, depth, history::text AS history, created_by,"
            + " quality, score, in_buffer, times_sampled, last_sampled_version FROM task_instance";

    static final RowMapper<StoredInstance> ROW = (rs, n) -> new StoredInstance(
            rs.getLong("id"),
            rs.getLong("base_task_id"),
            rs.getObject("parent_id", Long.class),
            rs.getInt("depth"),
            TaskJson.historyFromJson(rs.getString("history")),
            rs.getString("created_by"),
            rs.getObject("quality", Double.class),
            rs.getObject("score", Double.class),
            rs.getBoolean("in_buffer"),
            rs.getInt("times_sampled"),
            rs.getObject("last_sampled_version", Long.class));
}
