package dev.exitrl.task.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.core.domain.DomainRegistry;
import dev.exitrl.core.reward.Rewards;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.task.TaskServiceTestBase;
import dev.exitrl.taskapi.GenerateTasks;
import dev.exitrl.taskapi.LeaseRequest;
import dev.exitrl.taskapi.RolloutRecord;
import dev.exitrl.taskapi.SubmitGroup;
import java.util.ArrayList;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** MLE: an instance whose latest attempt failed to run is revised with a DEBUG step (its prompt shows the error). */
class DebugStepTest extends TaskServiceTestBase {
    @Test
    void aFailedAttemptIsDebugged() {
        var mle = DomainRegistry.standard().get("mle");
        UUID id = api.running("""
                {"domain":"mle","preset":"improve","rolloutsPerPrompt":2,"bufferCapacity":8,"bufferMinSize":1,
                 "selectProbability":1.0,"seed":3}""");
        api.client.generateTasks(id, new GenerateTasks(1, 1, 2, 0));
        var first = api.client.lease(id, new LeaseRequest("w", 1, null));
        var slot = first.slots().get(0);
        assertThat(slot.stepKind()).isEqualTo(StepKind.SOLVE);

        var rollouts = new ArrayList<RolloutRecord>();
        for (String response : new String[] {"this is not a pipeline", "model: forest trees=-3"}) {
            var verdict = mle.verify(slot.baseTask(), response);
            assertThat(verdict.quality()).isZero();
            double reward = Rewards.reward(slot.rewardMode(), slot.stepKind(), 0, verdict.quality());
            rollouts.add(
                    new RolloutRecord(response, verdict.quality(), reward, verdict.feedback(), null, null, null, null));
        }
        api.client.submitGroup(id, new SubmitGroup("d", first.leaseId(), 0, 0, null, null, rollouts));

        var second = api.client.lease(id, new LeaseRequest("w", 1, null));
        var revision = second.slots().get(0);
        assertThat(revision.depth()).isEqualTo(1);
        assertThat(revision.stepKind()).isEqualTo(StepKind.DEBUG);
        assertThat(revision.prompt())
                .contains(revision.history().latest().feedback().strip());
    }
}
