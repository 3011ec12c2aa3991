package dev.exitrl.task.lease;

import dev.exitrl.core.sampling.Candidate;
import dev.exitrl.task.basetask.BaseTaskStore;
import dev.exitrl.task.space.BufferIndex.FreeItems;
import dev.exitrl.task.space.InstanceStore;
import java.util.ArrayList;
import java.util.UUID;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The task-space benchmark's baseline: a task-service whose leases read every free buffered row from the table per
 * lease (in insertion order, what the index mirrors) and draw from the exact distribution over them, instead of
 * drawing from the in-memory index. Added to a service by {@link #initializer()}.
 */
public final class TableScanBaseline {
    private TableScanBaseline() {}

    /** Registers the table-scanning lease store as the primary one. */
    public static ApplicationContextInitializer<GenericApplicationContext> initializer() {
        return context -> context.registerBean(
                "tableScanLeaseStore",
                LeaseStore.class,
                () -> new ScanningStore(
                        context.getBean(JdbcClient.class),
                        context.getBean(BaseTaskStore.class),
                        context.getBean(InstanceStore.class)),
                definition -> definition.setPrimary(true));
    }

    private static final class ScanningStore extends LeaseStore {
        private final JdbcClient jdbc;

        ScanningStore(JdbcClient jdbc, BaseTaskStore baseTasks, InstanceStore instances) {
            super(jdbc, baseTasks, instances);
            this.jdbc = jdbc;
        }

        @Override
        FreeItems scannedFreeItems(UUID experimentId) {
            var ids = new ArrayList<Long>();
            var candidates = new ArrayList<Candidate>();
            jdbc.sql("""
                    SELECT id, score, coalesce(last_sampled_version, 0) AS last_sampled
                      FROM task_instance
                     WHERE experiment_id = ? AND in_buffer AND (leased_by IS NULL OR leased_until < now())
                     ORDER BY insertion_seq""").param(experimentId).query(rs -> {
                ids.add(rs.getLong(1));
                candidates.add(new Candidate(rs.getDouble(2), rs.getLong(3)));
            });
            return new FreeItems(ids, candidates);
        }
    }
}
