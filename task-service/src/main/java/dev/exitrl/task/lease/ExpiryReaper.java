package dev.exitrl.task.lease;

import dev.exitrl.task.space.ExperimentLocks;
import dev.exitrl.task.training.TrainingQueue;
import java.util.UUID;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reclaims what crashed workers and trainers left behind, even when no new lease or claim comes to do it on the
 * way: expired leases are marked EXPIRED and give their instances back, and expired training claims return their
 * groups to the queue ({@link TrainingQueue#returnExpiredClaims()}, the same statement a claim runs first). Each
 * experiment's leases are reclaimed under its row lock, like every other change of its task space, so the reaper
 * never races a lease or a submit.
 */
@Component
public class ExpiryReaper {
    private final ExperimentLocks locks;
    private final LeaseStore leases;
    private final TrainingQueue trainingQueue;
    private final TransactionTemplate transactions;

    ExpiryReaper(
            ExperimentLocks locks, LeaseStore leases, TrainingQueue trainingQueue, TransactionTemplate transactions) {
        this.locks = locks;
        this.leases = leases;
        this.trainingQueue = trainingQueue;
        this.transactions = transactions;
    }

    @Scheduled(
            fixedDelayString = "${exit.task.reap-interval:PT30S}",
            initialDelayString = "${exit.task.reap-interval:PT30S}")
    public void reap() {
        for (UUID id : leases.experimentsWithExpiredLeases()) {
            transactions.executeWithoutResult(tx -> {
                locks.lock(id);
                leases.reclaimExpired(id);
            });
        }
        trainingQueue.returnExpiredClaims();
    }
}
