package dev.exitrl.task.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.exitrl.task.TaskServiceTestBase;
import dev.exitrl.task.TaskSpaceApi;
import dev.exitrl.taskapi.ClaimRequest;
import dev.exitrl.taskapi.GenerateTasks;
import dev.exitrl.taskapi.LeaseRequest;
import dev.exitrl.taskapi.PolicyVersionRequest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Per policy version: slots served, their mean and max depth, the share drawn from the buffer, instances trained. */
class CurriculumViewTest extends TaskServiceTestBase {
    @Test
    void buffersStatsShowTheCurriculumPerPolicyVersion() {
        UUID id = api.running("""
                {"domain":"countdown","preset":"exit","rolloutsPerPrompt":2,"bufferCapacity":32,"bufferMinSize":1,
                 "selectProbability":1.0,"seed":9}""");
        api.client.generateTasks(id, new GenerateTasks(2, 1, 10, 0));
        // Version 0: an empty buffer, so two base tasks; their children fill the buffer.
        var first = api.client.lease(id, new LeaseRequest("w", 2, null));
        for (int slot = 0; slot < 2; slot++) {
            api.client.submitGroup(id, TaskSpaceApi.group("a" + slot, first, slot, 0, 1));
        }
        var claim = api.client.claim(id, new ClaimRequest(10, null, null));
        api.client.acknowledgeClaim(id, claim.claimId());
        // Version 1: the buffer is ready and p = 1, so every slot is drawn from it.
        api.client.announceVersion(id, new PolicyVersionRequest(1, "http://localhost/ckpt/1", "b".repeat(64)));
        var second = api.client.lease(id, new LeaseRequest("w", 3, null));

        var sampled = api.client.bufferStats(id).sampledDepth();
        assertThat(sampled).hasSize(2);
        var v0 = sampled.get(0);
        assertThat(v0.policyVersion()).isZero();
        assertThat(v0.count()).isEqualTo(2);
        assertThat(v0.maxDepth()).isZero();
        assertThat(v0.fromBufferShare()).isZero();
        assertThat(v0.instancesTrainedOn()).isEqualTo(2);
        var v1 = sampled.get(1);
        assertThat(v1.count()).isEqualTo(second.slots().size());
        assertThat(v1.fromBufferShare()).isCloseTo(1.0, within(1e-9));
        assertThat(v1.instancesTrainedOn()).isZero();
        int deepest = second.slots().stream().mapToInt(s -> s.depth()).max().orElseThrow();
        assertThat(v1.maxDepth()).isEqualTo(deepest);
        assertThat(v1.meanDepth())
                .isCloseTo(
                        second.slots().stream()
                                .mapToInt(s -> s.depth())
                                .average()
                                .orElseThrow(),
                        within(1e-9));
    }
}
