package dev.exitrl.task.lease;

import dev.exitrl.core.domain.Split;
import dev.exitrl.core.task.History;
import dev.exitrl.task.basetask.BaseTaskStore;
import dev.exitrl.task.basetask.StoredBaseTask;
import dev.exitrl.task.space.BufferIndex.FreeItems;
import dev.exitrl.task.space.InstanceStore;
import dev.exitrl.task.space.StoredInstance;
import dev.exitrl.taskapi.LeaseSlot;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The SQL of leases: what a plan reads and creates ({@link LeasePlanner.Rows}), recording, releasing, reclaiming. */
@Component
class LeaseStore {
    private final JdbcClient jdbc;
    private final BaseTaskStore baseTasks;
    private final InstanceStore instances;

    LeaseStore(JdbcClient jdbc, BaseTaskStore baseTasks, InstanceStore instances) {
        this.jdbc = jdbc;
        this.baseTasks = baseTasks;
        this.instances = instances;
    }

    int trainTaskCount(UUID experimentId) {
        return baseTasks.count(experimentId, Split.TRAIN);
    }

    /**
     * The free buffer items read from the table for this lease instead of from the in-memory index: none here (leases
     * use the index); the task-space benchmark's table-scan baseline overrides it.
     */
    FreeItems scannedFreeItems(UUID experimentId) {
        return null;
    }

    /** A plan's reads and row creations within one experiment. */
    LeasePlanner.Rows rows(UUID experimentId) {
        return new LeasePlanner.Rows() {
            @Override
            public Map<Long, StoredInstance> instances(List<Long> ids) {
                return instances.byIds(experimentId, ids).stream()
                        .collect(Collectors.toMap(StoredInstance::id, Function.identity()));
            }

            @Override
            public Map<Long, StoredBaseTask> baseTasks(Collection<Long> ids) {
                return baseTasks.byIds(experimentId, ids);
            }

            @Override
            public Map<Integer, StoredBaseTask> trainTasks(Set<Integer> ordinals) {
                return baseTasks.byOrdinals(experimentId, Split.TRAIN, ordinals);
            }

            @Override
            public long prefixInstance(StoredInstance from, History history, Double parentQuality) {
                return instances.upsert(experimentId, from.baseTaskId(), from.parentId(), history, null, parentQuality);
            }

            @Override
            public List<InstanceStore.Upserted> baseInstances(List<Long> baseTaskIds) {
                return instances.upsertAll(
                        experimentId,
                        baseTaskIds.stream()
                                .map(id -> new InstanceStore.NewInstance(id, null, History.empty(), null, null))
                                .toList());
            }
        };
    }

    /** Records a planned lease: four statements whatever its size. */
    void record(
            UUID leaseId,
            UUID experimentId,
            String workerId,
            long policyVersion,
            Instant now,
            Instant expiresAt,
            LeasePlanner.Plan plan) {
        var slots = plan.slots();
        Long[] leasedIds = slots.stream().map(LeaseSlot::instanceId).toArray(Long[]::new);
        jdbc.sql("""
                        WITH l AS (
                            INSERT INTO lease (id, experiment_id, worker_id, policy_version, status, created_at, expires_at)
                            VALUES (?, ?, ?, ?, 'ACTIVE', ?, ?) RETURNING id)
                        INSERT INTO lease_slot (lease_id, slot, instance_id, step_kind, from_buffer)
                        SELECT l.id, s.slot - 1, s.instance_id, s.step_kind, s.from_buffer
                          FROM l, unnest(?::bigint[], ?::text[], ?::boolean[]) WITH ORDINALITY AS s(instance_id, step_kind, from_buffer, slot)""")
                .param(leaseId)
                .param(experimentId)
                .param(workerId)
                .param(policyVersion)
                .param(Timestamp.from(now))
                .param(Timestamp.from(expiresAt))
                .param(leasedIds)
                .param(slots.stream().map(s -> s.stepKind().name()).toArray(String[]::new))
                .param(slots.stream().map(LeaseSlot::fromBuffer).toArray(Boolean[]::new))
                .update();
        jdbc.sql("UPDATE task_instance SET leased_by = ?, leased_until = ? WHERE id = ANY(?)")
                .param(leaseId)
                .param(Timestamp.from(expiresAt))
                .param(leasedIds)
                .update();
        jdbc.sql(
                        "UPDATE task_instance SET times_sampled = times_sampled + 1, last_sampled_version = ? WHERE id = ANY(?)")
                .param(policyVersion)
                .param(plan.sampled().toArray(Long[]::new))
                .update();
        jdbc.sql("UPDATE experiment SET lease_count = lease_count + 1 WHERE id = ?")
                .param(experimentId)
                .update();
    }

    /** Closes an ACTIVE lease as RELEASED; false when there is none such (unknown, or closed already). */
    boolean markReleased(UUID experimentId, UUID leaseId) {
        return jdbc.sql("UPDATE lease SET status = 'RELEASED', closed_at = now()"
                                + " WHERE id = ? AND experiment_id = ? AND status = 'ACTIVE'")
                        .param(leaseId)
                        .param(experimentId)
                        .update()
                > 0;
    }

    boolean exists(UUID experimentId, UUID leaseId) {
        return jdbc.sql("SELECT count(*) FROM lease WHERE id = ? AND experiment_id = ?")
                        .param(leaseId)
                        .param(experimentId)
                        .query(Integer.class)
                        .single()
                > 0;
    }

    /** Gives back the instances a lease holds; returns their ids. */
    List<Long> unlease(UUID leaseId) {
        return jdbc.sql(
                        "UPDATE task_instance SET leased_by = NULL, leased_until = NULL WHERE leased_by = ? RETURNING id")
                .param(leaseId)
                .query(Long.class)
                .list();
    }

    /** Expired leases give their instances back; called inside every lease transaction and by the reaper. */
    void reclaimExpired(UUID experimentId) {
        jdbc.sql("UPDATE lease SET status = 'EXPIRED', closed_at = now()"
                        + " WHERE experiment_id = ? AND status = 'ACTIVE' AND expires_at < now()")
                .param(experimentId)
                .update();
        jdbc.sql("UPDATE task_instance SET leased_by = NULL, leased_until = NULL"
                        + " WHERE experiment_id = ? AND leased_by IS NOT NULL AND leased_until < now()")
                .param(experimentId)
                .update();
    }

    /** Experiments with ACTIVE leases past their expiry (for the reaper). */
    List<UUID> experimentsWithExpiredLeases() {
        return jdbc.sql("SELECT DISTINCT experiment_id FROM lease WHERE status = 'ACTIVE' AND expires_at < now()")
                .query(UUID.class)
                .list();
    }
}
