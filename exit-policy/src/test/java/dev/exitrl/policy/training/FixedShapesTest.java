package dev.exitrl.policy.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.exitrl.policy.Policy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Micro-batches padded to fixed shapes give the same loss and gradients as unpadded ones. */
class FixedShapesTest {

    @Test
    void bucketLengthsArePowersOfTwoThenMultiplesOfTheBucket() {
        assertThat(TokenLogProbs.bucketLength(2, 64)).isEqualTo(2);
        assertThat(TokenLogProbs.bucketLength(3, 64)).isEqualTo(4);
        assertThat(TokenLogProbs.bucketLength(33, 64)).isEqualTo(64);
        assertThat(TokenLogProbs.bucketLength(64, 64)).isEqualTo(64);
        assertThat(TokenLogProbs.bucketLength(65, 64)).isEqualTo(128);
        assertThat(TokenLogProbs.bucketLength(129, 64)).isEqualTo(192);
        assertThat(TokenLogProbs.bucketLength(37, 0)).isEqualTo(37);
    }

    @Test
    void paddedRowsAndPositionsChangeNeitherLossNorGradients(@TempDir Path dir) throws Exception {
        try (Policy policy = TinyPolicies.create(dir, "abcdefgh", 11)) {
            Map<String, Parameter> parameters = policy.model().namedParameters();
            for (Parameter p : parameters.values()) {
                p.getArray().setRequiresGradient(true);
            }
            List<long[]> prompts = new ArrayList<>();
            List<long[]> responses = new ArrayList<>();
            for (String[] pair : new String[][] {{"ab", "cdefg"}, {"h", "aa"}, {"bcd", "hgfedcbahgf"}}) {
                prompts.add(policy.tokenizer().encode(pair[0]));
                responses.add(policy.tokenizer().encodePlain(pair[1]));
            }
            float[] exactLoss = new float[2];
            float[] paddedLoss = new float[2];
            Map<String, float[]> exact = gradients(policy, parameters, prompts, responses, 0, 0, exactLoss);
            // 5 rows instead of 3, and the longest sequence rounded up to 8 more than it needs (multiple of 8)
            Map<String, float[]> padded = gradients(policy, parameters, prompts, responses, 5, 8, paddedLoss);
            assertThat(paddedLoss[1])
                    .isGreaterThan(exactLoss[1])
                    .isEqualTo(TokenLogProbs.bucketLength((int) exactLoss[1] + 1, 8) - 1);
            assertThat(paddedLoss[0]).isCloseTo(exactLoss[0], Offset.offset(1e-5f));
            double largest = 0;
            for (String name : exact.keySet()) {
                float[] a = exact.get(name);
                float[] b = padded.get(name);
                for (int i = 0; i < a.length; i++) {
                    largest = Math.max(largest, Math.abs(a[i] - b[i]));
                    assertThat(b[i]).as(name + "[" + i + "]").isCloseTo(a[i], Offset.offset(1e-5f));
                }
            }
            assertThat(largest).isGreaterThanOrEqualTo(0); // every element compared above
            assertThat(exact.get("model.norm.weight")).isNotEqualTo(new float[exact.get("model.norm.weight").length]);
        }
    }

    /**
     * Gradients of a weighted response log-likelihood (weights differ by row, so rows are told apart); clears them
     * afterwards. {@code lossOut} receives the loss and the (B, S - 1) width S - 1.
     */
    private static Map<String, float[]> gradients(
            Policy policy,
            Map<String, Parameter> parameters,
            List<long[]> prompts,
            List<long[]> responses,
            int rows,
            int bucket,
            float[] lossOut) {
        try (NDManager m = policy.model().manager().newSubManager()) {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                TokenLogProbs lp = TokenLogProbs.compute(policy.model(), m, prompts, responses, null, rows, bucket);
                long b = lp.logProbs().getShape().get(0);
                assertThat(b).isEqualTo(Math.max(rows, prompts.size()));
                float[] rowWeights = new float[(int) b];
                for (int r = 0; r < prompts.size(); r++) {
                    rowWeights[r] = r + 1;
                }
                NDArray w = m.create(rowWeights).reshape(b, 1); // (B, 1)
                NDArray loss = lp.logProbs().mul(lp.mask()).mul(w).sum().neg(); // ()
                collector.backward(loss);
                lossOut[0] = loss.getFloat();
                lossOut[1] = lp.logProbs().getShape().get(1);
            }
            Map<String, float[]> out = new LinkedHashMap<>();
            for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
                NDArray g = e.getValue().getArray().getGradient();
                g.attach(m);
                out.put(e.getKey(), g.toFloatArray());
                g.subi(g);
            }
            return out;
        }
    }

    @Test
    void grpoStepIsTheSameWithAndWithoutBuckets(@TempDir Path dir) throws Exception {
        StepStats[] stats = new StepStats[2];
        int[] buckets = {0, 64};
        for (int run = 0; run < 2; run++) {
            try (Policy policy = TinyPolicies.create(dir.resolve("run" + run), "abc", 5);
                    PolicyTrainer trainer = new PolicyTrainer(
                            policy.model(),
                            new GrpoConfig(1e-2, 0.2, 0.1, 0.0, 1.0, 3, 0.9, 0.999, 1e-8)
                                    .withSequenceBucket(buckets[run]))) {
                long[] prompt = policy.tokenizer().encode("ab");
                List<TrainingSample> group = new ArrayList<>();
                String[] responses = {"abba", "c", "cabcab", "bb"};
                for (int i = 0; i < responses.length; i++) {
                    long[] r = policy.tokenizer().encodePlain(responses[i]);
                    float[] old =
                            policy.tokenLogProbs(List.of(prompt), List.of(r)).get(0);
                    for (int t = 0; t < old.length; t++) {
                        old[t] -= 0.1f * ((t + i) % 3); // off-policy, so some ratios clip
                    }
                    group.add(new TrainingSample(prompt, r, old, i % 2 == 0 ? 1.0 : -1.0));
                }
                trainer.grpoStep(List.of(group)); // moves the policy off the reference: KL > 0 next
                stats[run] = trainer.grpoStep(List.of(group)); // 4 rollouts: micro-batches of 3 and 1 (padded to 3)
            }
        }
        assertThat(stats[0].meanKl()).isPositive();
        assertThat(stats[1].loss()).isCloseTo(stats[0].loss(), Offset.offset(1e-5));
        assertThat(stats[1].meanKl()).isCloseTo(stats[0].meanKl(), Offset.offset(1e-5));
        assertThat(stats[1].clipFraction()).isEqualTo(stats[0].clipFraction());
        assertThat(stats[1].gradNorm()).isCloseTo(stats[0].gradNorm(), Offset.offset(1e-5));
        assertThat(stats[1].tokens()).isEqualTo(stats[0].tokens());
    }
}
