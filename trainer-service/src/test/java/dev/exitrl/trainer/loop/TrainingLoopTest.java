package dev.exitrl.trainer.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.exitrl.core.experiment.ExperimentConfig;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.taskapi.ClaimedGroup;
import dev.exitrl.taskapi.ExperimentStatus;
import dev.exitrl.taskapi.PolicyVersionRequest;
import dev.exitrl.taskapi.RolloutRecord;
import dev.exitrl.trainer.TestSupport;
import dev.exitrl.trainer.TrainerProperties;
import dev.exitrl.trainer.checkpoint.CheckpointStore;
import dev.exitrl.trainer.model.InitialPolicies;
import dev.exitrl.trainer.training.TrainerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer's loop against an in-memory task space, on the tiny preset with a 3-step warm-start. */
class TrainingLoopTest {

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private TrainingLoop loop(FakeTaskSpace space) {
        TrainerProperties props = TestSupport.properties(dir);
        return new TrainingLoop(
                space.client(),
                new CheckpointStore(props),
                new InitialPolicies(props),
                new TrainerMetrics(registry),
                props);
    }

    private static ExperimentConfig config(int iterations) {
        return TestSupport.config("{\"domain\":\"countdown\",\"preset\":\"exit\",\"model\":\"tiny\",\"seed\":5,"
                + "\"learningRate\":0.001,\"rolloutsPerPrompt\":4,\"promptsPerBatch\":2,\"iterations\":" + iterations
                + "}");
    }

    /** A group as a text-only client submits it (the trainer tokenises it and computes the log-probs). */
    private static ClaimedGroup group(long id, double... rewards) {
        List<RolloutRecord> rollouts = new ArrayList<>();
        for (int i = 0; i < rewards.length; i++) {
            rollouts.add(new RolloutRecord(
                    "3 + " + i + " = " + (3 + i) + "\nAnswer: 3 + " + i,
                    rewards[i],
                    rewards[i],
                    null,
                    null,
                    null,
                    null,
                    null));
        }
        return new ClaimedGroup(
                id, id, 0, StepKind.SOLVE, 0, 0.1, "Numbers: 3 1 2\nTarget: 5\nAnswer:", null, rollouts);
    }

    @Test
    void createsAnnouncesAndTrainsVersionsInOrder() throws Exception {
        FakeTaskSpace space = new FakeTaskSpace(config(1));
        try (TrainingLoop loop = loop(space)) {
            assertThat(loop.turn(space.view())).isEqualTo(TrainingLoop.Outcome.ANNOUNCED);
            assertThat(space.announcedVersions()).containsExactly(0L);
            assertThat(space.claims).isEmpty();

            assertThat(loop.turn(space.view())).isEqualTo(TrainingLoop.Outcome.IDLE);
            assertThat(space.claims).hasSize(1);
            assertThat(space.claims.get(0).maxGroups()).isEqualTo(2);
            assertThat(space.claims.get(0).currentVersion()).isEqualTo(0L);

            space.ready.add(List.of(group(1, 1.0, 0.0, 0.5, 0.0), group(2, 0.2, 0.2, 0.2, 0.2)));
            assertThat(loop.turn(space.view())).isEqualTo(TrainingLoop.Outcome.TRAINED);
            assertThat(space.announcedVersions()).containsExactly(0L, 1L);
            assertThat(space.acknowledged).hasSize(1);
            // The acknowledgement reports what the update trained (the task space's progress view and token budget).
            assertThat(space.ackReports.get(0).tokensTrained()).isPositive();
            assertThat(space.ackReports.get(0).trainSeconds()).isPositive();
            assertThat(space.released).isEmpty();
            assertThat(loop.sessionVersion(space.id)).isEqualTo(1);

            CheckpointStore store = new CheckpointStore(TestSupport.properties(dir));
            PolicyVersionRequest v1 = space.announcements.get(1);
            CheckpointStore.Checkpoint c = store.find(space.id, 1).orElseThrow();
            assertThat(v1.sha256()).isEqualTo(CheckpointStore.sha256Of(c.policyZip()));
            assertThat(v1.checkpointUri())
                    .isEqualTo("http://trainer.test/api/trainer/experiments/" + space.id + "/checkpoints/1");
            assertThat(space.announcements.get(0).sha256()).isNotEqualTo(v1.sha256());
            assertThat(Files.readString(c.dir().resolve("trainer_state.json"))).contains("\"step\": 1");

            assertThat(registry.get("exit.trainer.loss")
                            .tag("experiment", space.id.toString())
                            .gauge()
                            .value())
                    .isFinite();
            assertThat(registry.get("exit.trainer.policy.version").gauge().value())
                    .isEqualTo(1.0);
            assertThat(registry.get("exit.trainer.zero.variance.fraction")
                            .gauge()
                            .value())
                    .isEqualTo(0.5);
            assertThat(registry.get("exit.trainer.checkpoint.bytes").gauge().value())
                    .isEqualTo(c.bytes());
            assertThat(registry.get("exit.trainer.reward.mean")
                            .tag("step_kind", "solve")
                            .gauge()
                            .value())
                    .isEqualTo((1.5 / 4 + 0.2) / 2, within(1e-9));

            // config.iterations = 1: done, the experiment is marked COMPLETED and nothing more is claimed.
            assertThat(loop.turn(space.view())).isEqualTo(TrainingLoop.Outcome.STOPPED);
            assertThat(space.statusChanges).containsExactly(ExperimentStatus.COMPLETED);
            assertThat(space.claims).hasSize(2);
        }
    }

    @Test
    void trainerKilledBetweenCheckpointAndAnnounceResumesWithoutGapOrRepeat() throws Exception {
        FakeTaskSpace space = new FakeTaskSpace(config(10));
        space.killOnAnnounce = v -> v == 1;
        try (TrainingLoop first = loop(space)) {
            first.turn(space.view()); // version 0
            space.ready.add(List.of(group(1, 1.0, 0.0, 0.5, 0.0)));
            assertThatThrownBy(() -> first.turn(space.view())).hasMessageContaining("killed");
        }
        assertThat(space.announcedVersions()).containsExactly(0L);
        assertThat(new CheckpointStore(TestSupport.properties(dir)).latestVersion(space.id))
                .hasValue(1);

        space.killOnAnnounce = v -> false;
        int claimsBefore = space.claims.size();
        try (TrainingLoop second = loop(space)) {
            // The new instance finds version 1 on disk, newer than the announced 0: it announces it, trains nothing.
            assertThat(second.turn(space.view())).isEqualTo(TrainingLoop.Outcome.ANNOUNCED);
            assertThat(space.claims).hasSize(claimsBefore);
            assertThat(space.announcedVersions()).containsExactly(0L, 1L);

            space.ready.add(List.of(group(2, 0.0, 1.0, 0.0, 0.0)));
            assertThat(second.turn(space.view())).isEqualTo(TrainingLoop.Outcome.TRAINED);
            assertThat(space.claims.get(space.claims.size() - 1).currentVersion())
                    .isEqualTo(1L);
        }
        assertThat(space.announcedVersions()).containsExactly(0L, 1L, 2L);
        CheckpointStore.Checkpoint v2 = new CheckpointStore(TestSupport.properties(dir))
                .find(space.id, 2)
                .orElseThrow();
        // The optimizer resumed from version 1's state: two GRPO steps in all.
        assertThat(Files.readString(v2.dir().resolve("trainer_state.json"))).contains("\"step\": 2");
    }

    @Test
    void failureMidBatchReleasesTheClaimAndResumesFromDisk() throws Exception {
        FakeTaskSpace space = new FakeTaskSpace(config(10));
        try (TrainingLoop loop = loop(space)) {
            loop.turn(space.view());
            ClaimedGroup empty = new ClaimedGroup(3, 3, 0, StepKind.SOLVE, 0, 0.0, "x", null, List.of());
            space.ready.add(List.of(group(1, 1.0, 0.0, 0.0, 0.0), empty));
            assertThatThrownBy(() -> loop.turn(space.view())).hasMessageContaining("no rollouts");
            assertThat(space.released).hasSize(1);
            assertThat(space.acknowledged).isEmpty();
            assertThat(loop.sessionVersion(space.id)).isEqualTo(-1);
            assertThat(new CheckpointStore(TestSupport.properties(dir)).latestVersion(space.id))
                    .hasValue(0);

            space.ready.add(List.of(group(4, 1.0, 0.0, 0.0, 0.0)));
            assertThat(loop.turn(space.view())).isEqualTo(TrainingLoop.Outcome.TRAINED);
            assertThat(space.announcedVersions()).containsExactly(0L, 1L);
        }
    }

    @Test
    void unusableModelMarksTheExperimentFailed() {
        FakeTaskSpace space = new FakeTaskSpace(TestSupport.config(
                "{\"domain\":\"countdown\",\"preset\":\"exit\",\"model\":\"no-such-org/no-such-model\"}"));
        try (TrainingLoop loop = loop(space)) {
            assertThat(loop.runRound()).isFalse();
        }
        assertThat(space.statusChanges).containsExactly(ExperimentStatus.FAILED);
        assertThat(space.announcements).isEmpty();
    }
}
