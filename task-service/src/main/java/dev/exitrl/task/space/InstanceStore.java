package dev.exitrl.task.space;

import dev.exitrl.core.domain.TaskJson;
import dev.exitrl.core.task.History;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.core.task.TaskInstance;
import dev.exitrl.task.web.NotFoundException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
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
    public long upsert(UUID experimentId, long baseTaskId, Long parentId, History history, StepKind createdBy,
                       Double quality) {
        String json = TaskJson.toJson(history);
        String hash = sha256(json);
        Optional<Long> inserted = jdbc.sql("""
                        INSERT INTO task_instance (experiment_id, base_task_id, parent_id, depth, history, history_hash,
                                                   created_by, quality)
                        VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?)
                        ON CONFLICT (experiment_id, base_task_id, history_hash) DO NOTHING
                        RETURNING id""")
                .param(experimentId).param(baseTaskId).param(parentId).param(TaskInstance.depthOf(history))
                .param(json).param(hash).param(createdBy == null ? null : createdBy.name()).param(quality)
                .query(Long.class).optional();
        return inserted.orElseGet(() -> jdbc.sql("SELECT id FROM task_instance"
                        + " WHERE experiment_id = ? AND base_task_id = ? AND history_hash = ?")
                .param(experimentId).param(baseTaskId).param(hash).query(Long.class).single());
    }

    public StoredInstance get(UUID experimentId, long id) {
        return find(experimentId, id).orElseThrow(() -> new NotFoundException("task instance", id));
    }

    public Optional<StoredInstance> find(UUID experimentId, long id) {
        return jdbc.sql(SELECT + " WHERE experiment_id = ? AND id = ?").param(experimentId).param(id)
                .query(ROW).optional();
    }

    public List<StoredInstance> byIds(UUID experimentId, List<Long> ids) {
        return jdbc.sql(SELECT + " WHERE experiment_id = ? AND id = ANY(?)").param(experimentId)
                .param(ids.toArray(Long[]::new)).query(ROW).list();
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }

    static final String SELECT = "SELECT id, base_task_id, parent_id, depth, history::text AS history, created_by,"
            + " quality, score, in_buffer, times_sampled, last_sampled_version FROM task_instance";

    static final RowMapper<StoredInstance> ROW = (rs, n) -> new StoredInstance(rs.getLong("id"),
            rs.getLong("base_task_id"), rs.getObject("parent_id", Long.class), rs.getInt("depth"),
            TaskJson.historyFromJson(rs.getString("history")), rs.getString("created_by"),
            rs.getObject("quality", Double.class), rs.getObject("score", Double.class), rs.getBoolean("in_buffer"),
            rs.getInt("times_sampled"), rs.getObject("last_sampled_version", Long.class));
}
