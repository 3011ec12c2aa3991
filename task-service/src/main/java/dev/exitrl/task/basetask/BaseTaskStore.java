package dev.exitrl.task.basetask;

import dev.exitrl.core.domain.BaseTask;
import dev.exitrl.core.domain.Split;
import dev.exitrl.core.domain.TaskJson;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Base tasks of experiments (plain SQL: bulk inserts and ordinal look-ups are on hot paths). Ordinals run
 * 0..n-1 per (experiment, split), so a uniform draw is one index look-up; callers that insert hold the
 * experiment's lock, which keeps ordinals dense.
 */
@Component
public class BaseTaskStore {
    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    BaseTaskStore(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    /** Inserts the tasks not stored yet (by id); returns how many were new. Caller holds the experiment lock. */
    public int insertNew(UUID experimentId, List<BaseTask> tasks) {
        if (tasks.isEmpty()) {
            return 0;
        }
        var existing =
                new HashSet<>(jdbc.sql("SELECT task_key FROM base_task WHERE experiment_id = ? AND task_key = ANY(?)")
                        .param(experimentId)
                        .param(tasks.stream().map(BaseTask::id).toArray(String[]::new))
                        .query(String.class)
                        .list());
        Map<Split, Integer> next = new EnumMap<>(Split.class);
        for (Split split : Split.values()) {
            next.put(split, count(experimentId, split));
        }
        var seen = new HashSet<String>();
        var rows = new ArrayList<Object[]>();
        for (BaseTask task : tasks) {
            if (existing.contains(task.id()) || !seen.add(task.id())) {
                continue;
            }
            int ordinal = next.merge(task.split(), 1, Integer::sum) - 1;
            rows.add(new Object[] {experimentId, task.id(), splitName(task.split()), ordinal, TaskJson.toJson(task)});
        }
        template.batchUpdate(
                "INSERT INTO base_task (experiment_id, task_key, split, ordinal, payload)"
                        + " VALUES (?, ?, ?, ?, ?::jsonb)",
                rows);
        return rows.size();
    }

    public int count(UUID experimentId, Split split) {
        return jdbc.sql("SELECT count(*) FROM base_task WHERE experiment_id = ? AND split = ?")
                .param(experimentId)
                .param(splitName(split))
                .query(Integer.class)
                .single();
    }

    public Map<Split, Integer> counts(UUID experimentId) {
        var counts = new EnumMap<Split, Integer>(Split.class);
        for (Split split : Split.values()) {
            counts.put(split, count(experimentId, split));
        }
        return counts;
    }

    /** Tasks by row id, for many ids in one query. */
    public Map<Long, StoredBaseTask> byIds(UUID experimentId, Collection<Long> ids) {
        return jdbc
                .sql(
                        "SELECT id, ordinal, payload::text AS payload FROM base_task WHERE experiment_id = ? AND id = ANY(?)")
                .param(experimentId)
                .param(ids.toArray(Long[]::new))
                .query(ROW)
                .list()
                .stream()
                .collect(Collectors.toMap(StoredBaseTask::id, t -> t));
    }

    /** Tasks of a split by ordinal, for many ordinals in one query. */
    public Map<Integer, StoredBaseTask> byOrdinals(UUID experimentId, Split split, Collection<Integer> ordinals) {
        return jdbc
                .sql("SELECT id, ordinal, payload::text AS payload FROM base_task"
                        + " WHERE experiment_id = ? AND split = ? AND ordinal = ANY(?)")
                .param(experimentId)
                .param(splitName(split))
                .param(ordinals.toArray(Integer[]::new))
                .query(ROW)
                .list()
                .stream()
                .collect(Collectors.toMap(StoredBaseTask::ordinal, t -> t));
    }

    public List<StoredBaseTask> page(UUID experimentId, Split split, int offset, int limit) {
        return jdbc.sql("SELECT id, ordinal, payload::text AS payload FROM base_task"
                        + " WHERE experiment_id = ? AND split = ? AND ordinal >= ? ORDER BY ordinal LIMIT ?")
                .param(experimentId)
                .param(splitName(split))
                .param(offset)
                .param(limit)
                .query(ROW)
                .list();
    }

    static String splitName(Split split) {
        return split.name(); // TRAIN or TEST, as the table stores it
    }

    private static final RowMapper<StoredBaseTask> ROW = (rs, n) -> new StoredBaseTask(
            rs.getLong("id"), rs.getInt("ordinal"), TaskJson.baseTaskFromJson(rs.getString("payload")));
}
