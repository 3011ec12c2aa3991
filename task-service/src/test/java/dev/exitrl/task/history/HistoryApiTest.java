package dev.exitrl.task.history;

import static dev.exitrl.task.TaskSpaceApi.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.exitrl.core.task.StepKind;
import dev.exitrl.task.TaskSpaceApi;
import dev.exitrl.task.buffer.TaskSpaceApiTest;
import dev.exitrl.taskapi.ClaimRequest;
import dev.exitrl.taskapi.GenerateTasks;
import dev.exitrl.taskapi.HistoryPoint;
import dev.exitrl.taskapi.LeaseRequest;
import dev.exitrl.taskapi.LeaseSlot;
import dev.exitrl.taskapi.LeaseView;
import dev.exitrl.taskapi.PolicyVersionRequest;
import dev.exitrl.taskapi.RolloutRecord;
import dev.exitrl.taskapi.SubmitGroup;
import dev.exitrl.taskapi.SubmitOutcome;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The history endpoint through the typed client, on groups submitted through the API under two policy versions:
 * each point's numbers are recomputed here from what the test submitted (rewards as exit-core derived them in the
 * test's own records, qualities, token ids, the submits' answers) and compared.
 */
class HistoryApiTest extends TaskSpaceApiTest {
    static final String CONFIG = """
            {"domain":"countdown","preset":"exit","rolloutsPerPrompt":4,"bufferCapacity":16,"bufferMinSize":2,
             "selectProbability":0.5,"promptsPerBatch":4,"seed":5}""";

    /** What the test submitted under one version, to recompute the point from. */
    static final class Submitted {
        final Map<StepKind, List<Double>> rewards = new EnumMap<>(StepKind.class);
        final Map<StepKind, List<Double>> qualities = new EnumMap<>(StepKind.class);
        final Map<Integer, Long> depths = new TreeMap<>();
        long groups;
        long tokens;
        SubmitOutcome last;
    }

    @Test
    void onePointPerVersionAgreesWithTheSubmittedGroups() {
        UUID id = api.running(CONFIG);
        client().generateTasks(id, new GenerateTasks(3, 1, 12, 0));

        var v0 = submitLease(id, 0, 4, new double[][] {{0, 1, 0, 1}, {0, 0, 1, 1}, {1, 1, 1, 0}, {0, 0, 0, 0}});
        // The trainer consumes three of version 0's four groups.
        var claim = client().claim(id, new ClaimRequest(3, 0L, null));
        assertThat(claim.groups()).hasSize(3);
        client().acknowledgeClaim(id, claim.claimId());
        client().announceVersion(id, new PolicyVersionRequest(1, "http://trainer/checkpoints/1.tar", "ab".repeat(32)));
        var v1 = submitLease(id, 1, 3, new double[][] {{1, 0, 1, 0}, {0.5, 0, 1, 1}, {1, 1, 0, 0}});

        List<HistoryPoint> points = client().history(id, null);
        assertThat(points).extracting(HistoryPoint::policyVersion).containsExactly(0L, 1L);
        assertAgrees(points.get(0), v0, 3);
        assertAgrees(points.get(1), v1, 0);
        assertThat(points.get(0).firstSubmitAt())
                .isBeforeOrEqualTo(points.get(0).lastSubmitAt());
        assertThat(points.get(1).firstSubmitAt()).isAfterOrEqualTo(points.get(0).lastSubmitAt());
        // Version 1's window starts at version 0's last submit, and every group is a separate transaction.
        assertThat(points.get(1).tokensPerSecond()).isPositive();

        // A poller asks from its last version: only that version and later, the same numbers.
        List<HistoryPoint> fromOne = client().history(id, 1L);
        assertThat(fromOne).hasSize(1);
        assertThat(fromOne.get(0)).isEqualTo(points.get(1));
        assertThat(client().history(id, 2L)).isEmpty();
    }

    @Test
    void anExperimentWithoutGroupsHasAnEmptyHistory() {
        UUID id = api.running(CONFIG);
        assertThat(client().history(id, null)).isEmpty();
    }

    @Test
    void unknownExperimentIs404AndANegativeVersionIs400NamingTheField() {
        var missing = refused(() -> client().history(UUID.randomUUID(), null));
        assertThat(missing.getStatusCode().value()).isEqualTo(404);
        assertThat(api.problem(missing).get("detail").asString()).contains("experiment");

        UUID id = api.running(CONFIG);
        var negative = refused(() -> client().history(id, -1L));
        assertThat(api.fields(negative)).containsExactly("fromVersion");
    }

    /** Leases {@code size} slots and submits one group per slot at {@code version} with the given qualities. */
    private Submitted submitLease(UUID id, long version, int size, double[][] qualities) {
        LeaseView lease = client().lease(id, new LeaseRequest("w", size, null));
        assertThat(lease.slots()).hasSize(size);
        var submitted = new Submitted();
        for (int i = 0; i < size; i++) {
            LeaseSlot slot = lease.slots().get(i);
            var rollouts = new ArrayList<RolloutRecord>();
            for (double q : qualities[i]) {
                rollouts.add(TaskSpaceApi.rollout(slot, "Answer: " + q, q));
            }
            SubmitGroup group =
                    TaskSpaceApi.group(SubmitGroup.keyOf(lease.leaseId(), i), lease.leaseId(), slot, version, rollouts);
            submitted.last = client().submitGroup(id, group);
            submitted.groups++;
            submitted.depths.merge(slot.depth(), 1L, Long::sum);
            for (var r : rollouts) {
                submitted
                        .rewards
                        .computeIfAbsent(slot.stepKind(), k -> new ArrayList<>())
                        .add(r.reward());
                submitted
                        .qualities
                        .computeIfAbsent(slot.stepKind(), k -> new ArrayList<>())
                        .add(r.quality());
                submitted.tokens += r.tokenIds().length;
            }
        }
        return submitted;
    }

    private static void assertAgrees(HistoryPoint point, Submitted submitted, long trained) {
        assertThat(point.groups()).isEqualTo(submitted.groups);
        assertThat(point.rollouts()).isEqualTo(submitted.groups * 4);
        assertThat(point.groupsTrained()).isEqualTo(trained);
        assertThat(point.tokensGenerated()).isEqualTo(submitted.tokens);
        assertThat(point.bufferSize()).isEqualTo(submitted.last.bufferSize());
        assertThat(point.depthHistogram()).isEqualTo(submitted.depths);
        assertThat(point.meanRewardByStepKind().keySet()).isEqualTo(submitted.rewards.keySet());
        submitted.rewards.forEach(
                (kind, rewards) -> assertThat(point.meanRewardByStepKind().get(kind))
                        .as("mean reward of %s", kind)
                        .isCloseTo(mean(rewards), within(1e-9)));
        submitted.qualities.forEach(
                (kind, qualities) -> assertThat(point.meanQualityByStepKind().get(kind))
                        .as("mean quality of %s", kind)
                        .isCloseTo(mean(qualities), within(1e-9)));
        long groupsOfKinds = point.groupsByStepKind().values().stream()
                .mapToLong(Long::longValue)
                .sum();
        assertThat(groupsOfKinds).isEqualTo(submitted.groups);
        double depthSum = submitted.depths.entrySet().stream()
                .mapToDouble(e -> e.getKey() * e.getValue())
                .sum();
        assertThat(point.meanDepth()).isCloseTo(depthSum / submitted.groups, within(1e-9));
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
}
