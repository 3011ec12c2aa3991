package dev.exitrl.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.core.buffer.ChildPolicy;
import dev.exitrl.core.buffer.Expansion;
import dev.exitrl.core.buffer.InMemoryBuffer;
import dev.exitrl.core.reward.RewardMode;
import dev.exitrl.core.reward.Rewards;
import dev.exitrl.core.sampling.Candidate;
import dev.exitrl.core.sampling.SoftmaxSampler;
import dev.exitrl.core.score.LearnabilityScore;
import dev.exitrl.core.task.Group;
import dev.exitrl.core.task.PolicyVersion;
import dev.exitrl.core.task.Rollout;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.core.task.TaskInstance;
import dev.exitrl.taskapi.GenerateTasks;
import dev.exitrl.taskapi.LeaseRequest;
import dev.exitrl.taskapi.RolloutRecord;
import dev.exitrl.taskapi.SubmitGroup;
import dev.exitrl.taskapi.TaskSpaceClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL buffer decides exactly as exit-core's in-memory reference, and leases sample the distribution
 * that exit-core's sampler defines.
 */
class BufferAgreementTest extends TaskServiceTestBase {
    TaskSpaceClient client;

    @BeforeEach
    void typedClient() {
        client = api.client;
    }

    @Test
    void postgresBufferMatchesTheInMemoryReferenceGroupByGroup() {
        UUID id = api.running("""
                {"domain":"countdown","preset":"exit","rolloutsPerPrompt":4,"bufferCapacity":12,"bufferMinSize":3,
                 "selectProbability":0.7,"childPolicy":"all","seed":5}""");
        client.generateTasks(id, new GenerateTasks(9, 1, 30, 0));
        var reference = new InMemoryBuffer(12);
        var random = new SplittableRandom(2024);
        int compared = 0;
        int revisions = 0;
        int scoredByRewards = 0;
        for (int step = 0; step < 150; step++) {
            var lease = client.lease(id, new LeaseRequest("w", 1, null));
            var slot = lease.slots().get(0);
            var parent = TaskInstance.of(slot.baseTask().ref(), slot.history());
            // The reference's own view of the parent: nothing to revise at depth 0, else the quality of the
            // response being revised (this test's verifier gives equal responses equal qualities).
            Double parentQuality = slot.history().isEmpty()
                    ? null
                    : qualityOf(slot.history().latest().response());
            assertThat(slot.parentQuality())
                    .as("parent quality at group %d", step)
                    .isEqualTo(parentQuality);
            assertThat(slot.rewardMode()).isEqualTo(RewardMode.IMPROVEMENT); // countdown's default
            var rollouts = new ArrayList<Rollout>();
            var submitted = new ArrayList<RolloutRecord>();
            for (int i = 0; i < 4; i++) {
                String response = "Answer: " + random.nextInt(6); // small vocabulary: duplicate children happen
                double q = qualityOf(response);
                double reward = Rewards.reward(
                        RewardMode.IMPROVEMENT, slot.stepKind(), parentQuality == null ? 0 : parentQuality, q);
                rollouts.add(new Rollout(parent.answeredWith(response, null), q, reward));
                submitted.add(new RolloutRecord(response, q, reward, null, null, null, null, null));
            }
            var outcome = client.submitGroup(
                    id, new SubmitGroup("g" + step, lease.leaseId(), 0, 0, slot.prompt(), null, submitted));

            var group = new Group(parent, slot.stepKind(), PolicyVersion.INITIAL, rollouts);
            double score = LearnabilityScore.of(group); // S = var(rewards)
            assertThat(outcome.score()).as("score of group %d", step).isEqualTo(score);
            if (slot.stepKind() != StepKind.SOLVE) {
                revisions++;
            }
            if (score != LearnabilityScore.of(group.qualities())) {
                scoredByRewards++;
            }
            reference.update(parent, score, Expansion.children(group, ChildPolicy.ALL, random), 0);

            assertThat(BufferSnapshots.postgres(jdbc, id))
                    .as("buffer after group %d", step)
                    .isEqualTo(BufferSnapshots.reference(reference));
            compared++;
        }
        assertThat(compared).isEqualTo(150);
        assertThat(reference.size()).isEqualTo(12); // the comparison ran through a full buffer with evictions
        assertThat(revisions).as("revision steps replayed").isPositive();
        // ...and through groups whose score of rewards differs from a score of qualities.
        assertThat(scoredByRewards).isPositive();
    }

    /** This test's verifier: {@code "Answer: k"} has quality {@code k / 4}, capped at 1. */
    private static double qualityOf(String response) {
        int k = Integer.parseInt(response.substring("Answer: ".length()));
        return Math.min(1, k / 4.0);
    }

    @Test
    void leaseFrequenciesFollowTheSoftmaxSampler() {
        UUID id = api.running("""
                {"domain":"countdown","preset":"exit","rolloutsPerPrompt":4,"bufferCapacity":6,"bufferMinSize":1,
                 "selectProbability":1.0,"kappa":10,"seed":8}""");
        client.generateTasks(id, new GenerateTasks(10, 1, 6, 0));
        // Six base tasks, each rolled out once with a different spread of qualities. SOLVE steps (reward =
        // quality), so the scores are the variances of these: 0, 0.1875, 0.25, 0.125, 0.078125, 0.046875.
        double[][] qualities = {
            {0, 0, 0, 0}, {0, 0, 0, 1}, {0, 0, 1, 1}, {0, 0.5, 0.5, 1}, {0, 0.25, 0.5, 0.75}, {1, 1, 1, 0.5}
        };
        var lease = client.lease(id, new LeaseRequest("w", 6, null));
        assertThat(lease.slots()).hasSize(6);
        for (int i = 0; i < 6; i++) {
            var slot = lease.slots().get(i);
            assertThat(slot.stepKind()).isEqualTo(StepKind.SOLVE);
            var rollouts = new ArrayList<RolloutRecord>();
            for (double q : qualities[i]) {
                rollouts.add(TaskSpaceApi.rollout(slot, "same", q));
            }
            client.submitGroup(id, TaskSpaceApi.group("s" + i, lease.leaseId(), slot, 0, rollouts));
        }
        // The buffer now holds six items (each parent has one child "same"; the top-6 rule keeps six).
        var items = jdbc.sql(
                        "SELECT id, score FROM task_instance WHERE experiment_id = ? AND in_buffer ORDER BY insertion_seq")
                .param(id)
                .query((rs, n) -> Map.entry(rs.getLong(1), rs.getDouble(2)))
                .list();
        assertThat(items).hasSize(6);
        var candidates = items.stream().map(e -> new Candidate(e.getValue(), 0)).toList();
        double[] expected = new SoftmaxSampler(10).probabilities(candidates, 0);

        int draws = 2000;
        var counts = new HashMap<Long, Integer>();
        for (int i = 0; i < draws; i++) {
            var one = client.lease(id, new LeaseRequest("w", 1, null));
            counts.merge(one.slots().get(0).instanceId(), 1, Integer::sum);
            client.releaseLease(id, one.leaseId());
        }
        double chiSquare = 0;
        for (int i = 0; i < items.size(); i++) {
            double e = expected[i] * draws;
            double o = counts.getOrDefault(items.get(i).getKey(), 0);
            chiSquare += (o - e) * (o - e) / e;
        }
        assertThat(counts.keySet())
                .allMatch(k -> items.stream().anyMatch(e -> e.getKey().equals(k)));
        // 5 degrees of freedom: P(chi2 > 20.52) = 0.001
        assertThat(chiSquare).isLessThan(20.52);
        // ...and the test can tell: under a uniform draw the same counts would be far off for these scores.
        double uniformChi = 0;
        for (var item : items) {
            double o = counts.getOrDefault(item.getKey(), 0);
            uniformChi += (o - draws / 6.0) * (o - draws / 6.0) / (draws / 6.0);
        }
        assertThat(uniformChi).isGreaterThan(chiSquare);
    }
}
