package dev.exitrl.task;

import dev.exitrl.core.buffer.InMemoryBuffer;
import dev.exitrl.core.domain.TaskJson;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A buffer as "task key | history JSON" -> score, sorted: the form in which the PostgreSQL buffer and exit-core's
 * in-memory reference are compared by the agreement tests.
 */
final class BufferSnapshots {
    private BufferSnapshots() {}

    static Map<String, Double> postgres(JdbcClient jdbc, UUID experimentId) {
        var out = new TreeMap<String, Double>();
        jdbc.sql("""
                SELECT b.task_key, t.history::text, t.score FROM task_instance t JOIN base_task b ON b.id = t.base_task_id
                 WHERE t.experiment_id = ? AND t.in_buffer""").param(experimentId).query(rs -> {
            out.put(
                    rs.getString(1) + "|" + TaskJson.toJson(TaskJson.historyFromJson(rs.getString(2))),
                    rs.getDouble(3));
        });
        return out;
    }

    static Map<String, Double> reference(InMemoryBuffer buffer) {
        var out = new TreeMap<String, Double>();
        buffer.items()
                .forEach(item -> out.put(
                        item.instance().task().taskId() + "|"
                                + TaskJson.toJson(item.instance().history()),
                        item.score()));
        return out;
    }
}
