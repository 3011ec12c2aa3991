package dev.exitrl.task.lease;

import dev.exitrl.task.space.ExperimentLocks;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reclaims what crashed workers and trainers left behind, even when no new lease or claim comes to do it on the
 * way: expired leases are marked EXPIRED and give their instances back, and expired training claims return their
 * groups to the queue. Each experiment's leases are reclaimed under its row lock, like every other change of its
 * task space, so the reaper never races a lease or a submit.
 */
@Component
public class ExpiryReaper {
    private final JdbcClient jdbc;
    private final ExperimentLocks locks;
    private final LeaseService leases;
    private final TransactionTemplate transactions;

    ExpiryReaper(JdbcClient jdbc, ExperimentLocks locks, LeaseService leases, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.locks = locks;
        this.leases = leases;
        this.transactions = transactions;
    }

    @Scheduled(
            fixedDelayString = "${exit.task.reap-interval:PT30S}",
            initialDelayString = "${exit.task.reap-interval:PT30S}")
    public void reap() {
        List<UUID> experiments = jdbc.sql(
                        "SELECT DISTINCT experiment_id FROM lease WHERE status = 'ACTIVE' AND expires_at < now()")
                .query(UUID.class)
                .list();
        for (UUID id : experiments) {
            transactions.executeWithoutResult(tx -> {
                locks.lock(id);
                leases.reclaimExpired(id);
            });
        }
        jdbc.sql(
                        "UPDATE training_queue SET state = 'READY', claim_id = NULL, claim_expires_at = NULL, updated_at = now()"
                                + " WHERE state = 'CLAIMED' AND claim_expires_at < now()")
                .update();
    }
}
