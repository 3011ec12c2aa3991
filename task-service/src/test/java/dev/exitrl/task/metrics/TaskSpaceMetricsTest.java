package dev.exitrl.task.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.task.buffer.TaskSpaceApiTest;
import dev.exitrl.taskapi.ExperimentStatus;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The gauges as Prometheus sees them, after a refresh: each tagged with its experiment. */
class TaskSpaceMetricsTest extends TaskSpaceApiTest {
    @Autowired
    TaskSpaceMetrics gauges;

    @Test
    void gaugesShowTheTaskSpaceWithTheirTags() {
        UUID running = createExperiment(16);
        UUID created = createExperiment(16);
        changeStatus(running, ExperimentStatus.RUNNING);
        long task = insertBaseTask(running, "t", "TRAIN");
        long a = insertInstance(running, task, null, 0, 0.1, 0.0, true, "SOLVE", "{}");
        long b = insertInstance(running, task, a, 1, 0.2, 1.0, true, "SOLVE", "{}");
        insertInstance(running, task, a, 1, 0.05, 1.0, false, "SOLVE", "{}");
        long otherTask = insertBaseTask(created, "t", "TRAIN");
        insertInstance(created, otherTask, null, 0, 0.1, 0.0, true, "SOLVE", "{}");

        gauges.refresh();
        String before = get("/actuator/prometheus").body();
        String tag = "experiment=\"" + running + "\"";
        assertThat(sample(before, "exit_leases_outstanding", tag)).contains(0.0);
        assertThat(sample(before, "exit_training_queue_depth", tag, "state=\"ready\""))
                .contains(0.0);

        insertLease(running, 0, "ACTIVE", "5 minutes", a);
        insertLease(running, 0, "ACTIVE", "5 minutes", b);
        insertLease(running, 0, "ACTIVE", "-1 minute"); // past its expiry, not yet swept: not outstanding
        insertLease(running, 0, "EXPIRED", "-1 minute");
        insertQueued(running, a, "READY", "READY", "CLAIMED", "DROPPED_STALE");
        gauges.refresh();
        String after = get("/actuator/prometheus").body();

        assertThat(sample(after, "exit_buffer_size", "experiment=\"" + running + "\""))
                .contains(2.0);
        assertThat(sample(after, "exit_buffer_score_mean", "experiment=\"" + running + "\""))
                .hasValueSatisfying(mean -> assertThat(mean).isCloseTo(0.15, Assertions.within(1e-12)));
        assertThat(sample(after, "exit_buffer_size", "experiment=\"" + created + "\""))
                .as("experiments that are not running or paused are not reported")
                .isEmpty();

        assertThat(sample(after, "exit_leases_outstanding", tag)).contains(2.0);
        assertThat(sample(after, "exit_leases_expired", tag)).contains(1.0);
        assertThat(sample(after, "exit_training_queue_depth", tag, "state=\"ready\""))
                .contains(2.0);
        assertThat(sample(after, "exit_training_queue_depth", tag, "state=\"claimed\""))
                .contains(1.0);
        assertThat(sample(after, "exit_training_queue_depth", tag, "state=\"consumed\""))
                .contains(0.0);
        assertThat(sample(after, "exit_training_queue_depth", tag, "state=\"dropped_stale\""))
                .contains(1.0);
        assertThat(sample(after, "exit_leases_outstanding", "experiment=\"" + created + "\""))
                .as("lease and queue gauges, too, report running and paused experiments only")
                .isEmpty();

        changeStatus(running, ExperimentStatus.PAUSED);
        gauges.refresh();
        assertThat(sample(get("/actuator/prometheus").body(), "exit_buffer_size", "experiment=\"" + running + "\""))
                .as("paused experiments are still reported")
                .contains(2.0);
        changeStatus(running, ExperimentStatus.COMPLETED);
        gauges.refresh();
        String finished = get("/actuator/prometheus").body();
        assertThat(sample(finished, "exit_buffer_size", tag))
                .as("a finished experiment drops its series")
                .isEmpty();
        assertThat(sample(finished, "exit_leases_outstanding", tag)).isEmpty();
        assertThat(sample(finished, "exit_training_queue_depth", tag)).isEmpty();
    }

    /** One rollout group of {@code instanceId} per state, queued in that state. */
    private void insertQueued(UUID experimentId, long instanceId, String... states) {
        for (String state : states) {
            long group = jdbc.sql("""
                            INSERT INTO rollout_group (experiment_id, instance_id, step_kind, policy_version, prompt,
                                                       rollouts, score, idempotency_key, outcome)
                            VALUES (?, ?, 'SOLVE', 0, 'p', '[]'::jsonb, 0, ?, '{}'::jsonb)
                            RETURNING id""")
                    .param(experimentId)
                    .param(instanceId)
                    .param(UUID.randomUUID().toString())
                    .query(Long.class)
                    .single();
            jdbc.sql("INSERT INTO training_queue (group_id, experiment_id, policy_version, state) VALUES (?, ?, 0, ?)")
                    .param(group)
                    .param(experimentId)
                    .param(state)
                    .update();
        }
    }

    /** The value of the first sample line of {@code name} whose labels contain every one of {@code tags}. */
    static Optional<Double> sample(String exposition, String name, String... tags) {
        return exposition
                .lines()
                .filter(line ->
                        line.startsWith(name + "{") && Arrays.stream(tags).allMatch(line::contains))
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst();
    }
}
