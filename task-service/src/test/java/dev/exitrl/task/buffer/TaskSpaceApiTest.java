package dev.exitrl.task.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.task.TaskServiceTestBase;
import dev.exitrl.task.TaskSpaceApi;
import dev.exitrl.taskapi.CreateExperiment;
import dev.exitrl.taskapi.ExperimentStatus;
import dev.exitrl.taskapi.StatusChange;
import dev.exitrl.taskapi.TaskSpaceClient;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Base of the evaluation, buffer-view and metrics tests: the shared task-service context of
 * {@link TaskServiceTestBase} on its real PostgreSQL database, the typed task-api client (and raw HTTP for what it
 * cannot send or read: CSV, Prometheus, malformed input), and fixture
 * helpers that write task-space rows with plain SQL. Every test makes its own experiment, so tests do not see
 * each other's rows.
 */
public abstract class TaskSpaceApiTest extends TaskServiceTestBase {

    protected record Response(int status, String contentType, String body, JsonNode json) {}

    /** GET over the shared {@link TaskSpaceApi} client, in this class's response shape. */
    protected Response get(String path) {
        return of(api.get(path));
    }

    protected Response post(String path, Object body) {
        return of(api.post(path, body));
    }

    private static Response of(TaskSpaceApi.Response r) {
        return new Response(r.status(), r.contentType(), r.text(), r.body());
    }

    /** The typed task-api client of the running service. */
    protected TaskSpaceClient client() {
        return api.client;
    }

    /** Creates an experiment through the API (countdown, full ExIt) with the given buffer capacity N. */
    protected UUID createExperiment(int bufferCapacity) {
        JsonNode config = api.mapper()
                .valueToTree(Map.of(
                        "domain",
                        "countdown",
                        "preset",
                        "exit",
                        "bufferCapacity",
                        bufferCapacity,
                        "bufferMinSize",
                        Math.min(4, bufferCapacity)));
        var created = client().createExperiment(new CreateExperiment("views-test", config));
        assertThat(created.getStatusCode().value()).isEqualTo(201);
        assertThat(created.getBody().config().bufferCapacity()).isEqualTo(bufferCapacity);
        return created.getBody().id();
    }

    protected void changeStatus(UUID experimentId, ExperimentStatus status) {
        var changed = client().changeStatus(experimentId, new StatusChange(status));
        assertThat(changed.status()).isEqualTo(status);
    }

    /** Inserts a base task row; returns its row id. Ordinals need only be unique per split here. */
    protected long insertBaseTask(UUID experimentId, String taskKey, String split) {
        return jdbc.sql("""
                        INSERT INTO base_task (experiment_id, task_key, split, ordinal, payload)
                        VALUES (?, ?, ?, (SELECT count(*) FROM base_task WHERE experiment_id = ? AND split = ?),
                                '{}'::jsonb)
                        RETURNING id""")
                .param(experimentId)
                .param(taskKey)
                .param(split)
                .param(experimentId)
                .param(split)
                .query(Long.class)
                .single();
    }

    /**
     * Inserts a task instance row; returns its id. Buffered rows get the next insertion sequence number, so rows
     * inserted later count as younger among equal scores.
     */
    protected long insertInstance(
            UUID experimentId,
            long baseTaskId,
            Long parentId,
            int depth,
            Double score,
            Double quality,
            boolean inBuffer,
            String createdBy,
            String historyJson) {
        return jdbc.sql("""
                        INSERT INTO task_instance (experiment_id, base_task_id, parent_id, depth, history,
                                                   history_hash, created_by, quality, score, in_buffer, insertion_seq)
                        VALUES (?, ?, ?, ?, ?::jsonb, md5(random()::text), ?, ?, ?, ?,
                                CASE WHEN ? THEN nextval('buffer_insertion_seq') END)
                        RETURNING id""")
                .param(experimentId)
                .param(baseTaskId)
                .param(parentId)
                .param(depth)
                .param(historyJson)
                .param(createdBy)
                .param(quality)
                .param(score)
                .param(inBuffer)
                .param(inBuffer)
                .query(Long.class)
                .single();
    }

    /** Inserts a lease of {@code policyVersion} whose slots hold {@code instanceIds}; returns its id. */
    protected UUID insertLease(
            UUID experimentId, long policyVersion, String status, String expiresIn, long... instanceIds) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        INSERT INTO lease (id, experiment_id, worker_id, policy_version, status, created_at, expires_at)
                        VALUES (?, ?, 'test-worker', ?, ?, now(), now() + ?::interval)""")
                .param(id)
                .param(experimentId)
                .param(policyVersion)
                .param(status)
                .param(expiresIn)
                .update();
        for (int slot = 0; slot < instanceIds.length; slot++) {
            jdbc.sql("INSERT INTO lease_slot (lease_id, slot, instance_id, step_kind, from_buffer)"
                            + " VALUES (?, ?, ?, 'IMPROVE', true)")
                    .param(id)
                    .param(slot)
                    .param(instanceIds[slot])
                    .update();
        }
        return id;
    }
}
