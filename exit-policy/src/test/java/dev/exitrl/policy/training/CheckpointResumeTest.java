package dev.exitrl.policy.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.exitrl.policy.Policy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointResumeTest {

    static List<List<TrainingSample>> groups(Policy policy, double sign) {
        long[] prompt = policy.tokenizer().encode("ab");
        long[] r1 = policy.tokenizer().encodePlain("abba");
        long[] r2 = policy.tokenizer().encodePlain("cc");
        List<float[]> lp = policy.tokenLogProbs(List.of(prompt, prompt), List.of(r1, r2));
        return List.of(List.of(
                new TrainingSample(prompt, r1, lp.get(0), sign), new TrainingSample(prompt, r2, lp.get(1), -sign)));
    }

    @Test
    void saveLoadReproducesLogitsAndResumesIdentically(@TempDir Path dir) throws Exception {
        Path ckpt = dir.resolve("ckpt");
        long[] probe = {0, 4, 5, 6, 4};
        float[][] continued;
        float[][] atSave;
        try (Policy policy = TinyPolicies.create(dir.resolve("init"), "abc", 3);
                PolicyTrainer trainer = new PolicyTrainer(
                        policy.model(), GrpoConfig.defaults(1e-2).withBeta(0.05))) {
            trainer.grpoStep(groups(policy, 1));
            trainer.grpoStep(groups(policy, -1));
            trainer.save(ckpt, policy.tokenizer());
            atSave = policy.logits(probe);
            trainer.grpoStep(groups(policy, 1));
            continued = policy.logits(probe);
        }
        for (String f : List.of(
                "config.json",
                "model.safetensors",
                "tokenizer.json",
                "optimizer.safetensors",
                "reference.safetensors",
                "trainer_state.json")) {
            assertThat(ckpt.resolve(f)).exists();
        }
        try (Policy loaded = Policy.load(ckpt, Device.cpu(), DataType.FLOAT32)) {
            float[][] logits = loaded.logits(probe);
            for (int i = 0; i < probe.length; i++) {
                assertThat(logits[i]).containsExactly(atSave[i]);
            }
            try (PolicyTrainer resumed =
                    new PolicyTrainer(loaded.model(), GrpoConfig.defaults(1e-2).withBeta(0.05))) {
                resumed.resume(ckpt);
                assertThat(resumed.step()).isEqualTo(2);
                resumed.grpoStep(groups(loaded, 1));
                float[][] after = loaded.logits(probe);
                for (int i = 0; i < probe.length; i++) {
                    for (int v = 0; v < after[i].length; v++) {
                        assertThat(after[i][v]).isCloseTo(continued[i][v], Offset.offset(1e-6f));
                    }
                    assertThat(after[i]).isNotEqualTo(atSave[i]);
                }
            }
        }
    }

    @Test
    void resumeNamesMissingFiles(@TempDir Path dir) throws Exception {
        try (Policy policy = TinyPolicies.create(dir.resolve("init"), "abc", 3);
                PolicyTrainer trainer = new PolicyTrainer(policy.model(), GrpoConfig.defaults(1e-2))) {
            policy.save(dir.resolve("plain"));
            assertThatThrownBy(() -> trainer.resume(dir.resolve("plain")))
                    .hasMessageContaining("reference.safetensors");
            Files.delete(dir.resolve("plain/model.safetensors"));
            assertThatThrownBy(() -> Policy.load(dir.resolve("plain"), Device.cpu(), DataType.FLOAT32))
                    .hasMessageContaining("model.safetensors missing");
        }
    }

    @Test
    void onPolicyLossEqualsMinusMeanAdvantageAndReferenceUpdateCopies(@TempDir Path dir) throws Exception {
        try (Policy policy = TinyPolicies.create(dir.resolve("init"), "abc", 5);
                PolicyTrainer trainer = new PolicyTrainer(
                        policy.model(), new GrpoConfig(1e-3, 0.2, 0.0, 0.0, 0.0, 1, 0.9, 0.999, 1e-8))) {
            long[] prompt = policy.tokenizer().encode("a");
            long[] r1 = policy.tokenizer().encodePlain("bcb");
            long[] r2 = policy.tokenizer().encodePlain("c");
            List<float[]> lp = policy.tokenLogProbs(List.of(prompt, prompt), List.of(r1, r2));
            // ratio = 1 on policy, beta = 0: objective per token = A, per-sequence mean = A, loss = -mean over group.
            StepStats s = trainer.grpoStep(List.of(
                    List.of(
                            new TrainingSample(prompt, r1, lp.get(0), 1.5),
                            new TrainingSample(prompt, r2, lp.get(1), -0.5)),
                    List.of(new TrainingSample(prompt, r2, lp.get(1), 2.0))));
            assertThat(s.loss()).isCloseTo(-((1.5 - 0.5) / 2 + 2.0) / 2, Offset.offset(1e-5));
            assertThat(s.clipFraction()).isZero();
            assertThat(s.tokens()).isEqualTo(5);

            // After the step the policy moved away from the reference; alpha = 1 copies it back exactly.
            List<float[]> refBefore = referenceLogProbs(trainer, prompt, r1);
            List<float[]> now = policy.tokenLogProbs(List.of(prompt), List.of(r1));
            assertThat(refBefore.get(0)).isNotEqualTo(now.get(0));
            trainer.updateReference(1.0);
            assertThat(referenceLogProbs(trainer, prompt, r1).get(0)).containsExactly(now.get(0));
        }
    }

    static List<float[]> referenceLogProbs(PolicyTrainer trainer, long[] prompt, long[] response) {
        try (var m = trainer.reference().manager().newSubManager()) {
            return TokenLogProbs.compute(trainer.reference(), m, List.of(prompt), List.of(response), null)
                    .toRows();
        }
    }
}
