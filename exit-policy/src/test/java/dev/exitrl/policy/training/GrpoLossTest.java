package dev.exitrl.policy.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.policy.Policy;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GRPO objective against a host-side computation of the formula in exit-algorithm.md. */
class GrpoLossTest {

    @Test
    void offPolicyClipAndK3MatchTheFormula(@TempDir Path dir) throws Exception {
        double eps = 0.2;
        double beta = 0.3;
        try (Policy policy = TinyPolicies.create(dir, "abc", 9);
                PolicyTrainer trainer =
                        new PolicyTrainer(policy.model(), new GrpoConfig(5e-2, eps, beta, 0, 0, 4, 0.9, 0.999, 1e-8))) {
            long[] prompt = policy.tokenizer().encode("ab");
            long[] r1 = policy.tokenizer().encodePlain("cab");
            long[] r2 = policy.tokenizer().encodePlain("bb");
            // Move the policy away from the reference so the KL term is not zero.
            List<float[]> start = policy.tokenLogProbs(List.of(prompt, prompt), List.of(r1, r2));
            trainer.grpoStep(List.of(List.of(
                    new TrainingSample(prompt, r1, start.get(0), 1),
                    new TrainingSample(prompt, r2, start.get(1), -1))));

            List<float[]> now = policy.tokenLogProbs(List.of(prompt, prompt), List.of(r1, r2));
            List<float[]> ref = CheckpointResumeTest.referenceLogProbs(trainer, prompt, r1);
            ref = List.of(
                    ref.get(0),
                    CheckpointResumeTest.referenceLogProbs(trainer, prompt, r2).get(0));
            // Behaviour log-probs off by +-0.5: ratios e^0.5 and e^-0.5, both outside [0.8, 1.2].
            float[] b1 = now.get(0).clone();
            float[] b2 = now.get(1).clone();
            for (int i = 0; i < b1.length; i++) {
                b1[i] -= 0.5f;
            }
            for (int i = 0; i < b2.length; i++) {
                b2[i] += 0.5f;
            }
            double a1 = 0.7;
            double a2 = -1.3;
            double expected = 0;
            double klSum = 0;
            float[][] lps = {now.get(0), now.get(1)};
            float[][] behaviours = {b1, b2};
            double[] advantages = {a1, a2};
            for (int r = 0; r < 2; r++) {
                double perSequence = 0;
                for (int t = 0; t < lps[r].length; t++) {
                    double rho = Math.exp(lps[r][t] - behaviours[r][t]);
                    double clipped = Math.max(1 - eps, Math.min(1 + eps, rho));
                    double d = ref.get(r)[t] - lps[r][t];
                    double k3 = Math.exp(d) - d - 1;
                    klSum += k3;
                    perSequence += Math.min(rho * advantages[r], clipped * advantages[r]) - beta * k3;
                }
                expected += perSequence / lps[r].length / 2; // per-sequence mean, then group mean (one group)
            }
            StepStats s = trainer.grpoStep(
                    List.of(List.of(new TrainingSample(prompt, r1, b1, a1), new TrainingSample(prompt, r2, b2, a2))));
            assertThat(klSum).isGreaterThan(1e-6);
            assertThat(s.loss()).isCloseTo(-expected, Offset.offset(1e-5));
            assertThat(s.meanKl()).isCloseTo(klSum / 5, Offset.offset(1e-6));
            assertThat(s.clipFraction()).isEqualTo(1.0);
            assertThat(s.tokens()).isEqualTo(5);
        }
    }

    @Test
    void microBatchesAccumulateToTheSameUpdate(@TempDir Path dir) throws Exception {
        float[][] after = new float[2][];
        double[] losses = new double[2];
        int[] microBatchSizes = {1, 3};
        for (int run = 0; run < 2; run++) {
            try (Policy policy = TinyPolicies.create(dir.resolve("run" + run), "abc", 11);
                    PolicyTrainer trainer = new PolicyTrainer(
                            policy.model(),
                            new GrpoConfig(1e-2, 0.2, 0.1, 0.01, 1.0, microBatchSizes[run], 0.9, 0.999, 1e-8))) {
                long[] p1 = policy.tokenizer().encode("a");
                long[] p2 = policy.tokenizer().encode("cc");
                long[][] responses = {
                    policy.tokenizer().encodePlain("abc"),
                    policy.tokenizer().encodePlain("b"),
                    policy.tokenizer().encodePlain("ccab")
                };
                List<float[]> b = policy.tokenLogProbs(List.of(p1, p1, p2), List.of(responses));
                StepStats s = trainer.grpoStep(List.of(
                        List.of(
                                new TrainingSample(p1, responses[0], b.get(0), 0.5),
                                new TrainingSample(p1, responses[1], b.get(1), -0.5)),
                        List.of(new TrainingSample(p2, responses[2], b.get(2), 1.0))));
                losses[run] = s.loss();
                after[run] = policy.logits(new long[] {0, 3, 4, 5})[3];
            }
        }
        assertThat(losses[1]).isCloseTo(losses[0], Offset.offset(1e-6));
        for (int v = 0; v < after[0].length; v++) {
            assertThat(after[1][v]).isCloseTo(after[0][v], Offset.offset(1e-5f));
        }
    }
}
