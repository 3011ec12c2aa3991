package dev.exitrl.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import dev.exitrl.core.experiment.ExperimentConfig;
import dev.exitrl.core.grpo.Advantages;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.policy.Policy;
import dev.exitrl.policy.model.ModelConfig;
import dev.exitrl.policy.tokenizer.CharVocabulary;
import dev.exitrl.policy.training.PolicyTrainer;
import dev.exitrl.taskapi.ClaimedGroup;
import dev.exitrl.taskapi.RolloutRecord;
import dev.exitrl.trainer.TestSupport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-domain training options: the policy mask (tool results carry no loss), overlong filtering (truncated
 * rollouts carry no loss under tool use only) and Dr. GRPO's normalisation against GRPO's. Each test trains two
 * identical tiny models (same seed) on batches that differ in one thing and compares the weights afterwards.
 */
class MaskedTrainingTest {
    private static final String TOOL_USE = "{\"domain\":\"tool-use\",\"preset\":\"exit\",\"model\":\"tiny\","
            + "\"learningRate\":0.01,\"klBeta\":0.01,\"refUpdateEvery\":100}";
    private static final String COUNTDOWN = "{\"domain\":\"countdown\",\"preset\":\"exit\",\"model\":\"tiny\","
            + "\"learningRate\":0.01,\"klBeta\":0.01,\"refUpdateEvery\":100}";

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    private record Model(Policy policy, PolicyTrainer trainer, BatchTrainer batches) {}

    @BeforeEach
    void vocabulary() throws Exception {
        CharVocabulary.write(dir, "0123456789+-*/=>{}\" abcdefghijklmnopqrstuvwxyz:\n");
    }

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private Model model(ExperimentConfig config) throws Exception {
        int vocab = CharVocabulary.write(dir, "0123456789+-*/=>{}\" abcdefghijklmnopqrstuvwxyz:\n");
        ModelConfig mc = ModelConfig.preset("tiny", vocab, CharVocabulary.BOS, CharVocabulary.EOS, CharVocabulary.PAD);
        Policy policy = Policy.create(mc, dir.resolve("tokenizer.json"), Device.cpu(), 3);
        PolicyTrainer trainer =
                new PolicyTrainer(policy.model(), BatchTrainer.grpoConfig(config, TestSupport.properties(dir)));
        open.add(policy);
        open.add(trainer);
        return new Model(policy, trainer, new BatchTrainer(policy, trainer));
    }

    /** Model text, then an environment observation: the layout of a multi-turn rollout's tokens. */
    private static RolloutRecord rollout(
            Policy p, String model, String tool, double reward, boolean masked, boolean truncated) {
        long[] a = p.tokenizer().encodePlain(model);
        long[] b = p.tokenizer().encodePlain(tool);
        long[] ids = new long[a.length + b.length];
        System.arraycopy(a, 0, ids, 0, a.length);
        System.arraycopy(b, 0, ids, a.length, b.length);
        boolean[] mask = new boolean[ids.length];
        // on-policy behaviour log-probs for the model's tokens (a ratio of 1, nothing clipped)
        float[] logProbs =
                p.tokenLogProbs(List.of(PROMPT.apply(p)), List.of(ids)).get(0);
        for (int i = 0; i < ids.length; i++) {
            mask[i] = i < a.length;
            if (!mask[i]) {
                // behaviour log-probs of environment tokens are meaningless (the worker sends 0); make them differ
                logProbs[i] = -0.5f * tool.length();
            }
        }
        return new RolloutRecord(
                model + tool, reward, reward, null, null, ids, logProbs, null, masked ? mask : null, truncated);
    }

    private static final Function<Policy, long[]> PROMPT = p -> p.tokenizer().encode("ls");

    private static ClaimedGroup group(Policy p, List<RolloutRecord> rollouts) {
        return new ClaimedGroup(1, 1, 0, StepKind.SOLVE, 0, 0.1, "ls", PROMPT.apply(p), rollouts);
    }

    private static List<RolloutRecord> batch(Policy p, String toolText, boolean masked, boolean lastTruncated) {
        return List.of(
                rollout(p, "cd a", toolText, 1.0, masked, false),
                rollout(p, "ls", toolText + " x", 0.0, masked, false),
                rollout(p, "cat b", toolText, 0.5, masked, false),
                rollout(p, "rm c", toolText + "zz", 0.0, masked, lastTruncated));
    }

    private static Map<String, float[]> weights(Model m) {
        var out = new TreeMap<String, float[]>();
        m.policy()
                .model()
                .namedParameters()
                .forEach((k, v) -> out.put(k, v.getArray().toFloatArray()));
        return out;
    }

    private static double maxDifference(Map<String, float[]> a, Map<String, float[]> b) {
        double max = 0;
        for (var e : a.entrySet()) {
            float[] x = e.getValue();
            float[] y = b.get(e.getKey());
            for (int i = 0; i < x.length; i++) {
                max = Math.max(max, Math.abs(x[i] - y[i]));
            }
        }
        return max;
    }

    @Test
    void maskedTokensChangeNeitherTheLossNorTheUpdate() throws Exception {
        ExperimentConfig config = TestSupport.config(COUNTDOWN);
        Model one = model(config);
        Model two = model(config);
        BatchResult r1 =
                one.batches().train(config, List.of(group(one.policy(), batch(one.policy(), "-> ok", true, false))), 1);
        BatchResult r2 =
                two.batches().train(config, List.of(group(two.policy(), batch(two.policy(), "-> no", true, false))), 1);
        assertThat(r1.lastStep().loss()).isCloseTo(r2.lastStep().loss(), within(1e-6));
        assertThat(maxDifference(weights(one), weights(two))).isLessThan(1e-6);
        // only the model's own tokens were trained: 4 + 2 + 5 + 4 per epoch
        assertThat(r1.steps().get(0).tokens()).isEqualTo(15);

        // Control: without the mask the same change in the tool text does change the update.
        Model three = model(config);
        Model four = model(config);
        three.batches().train(config, List.of(group(three.policy(), batch(three.policy(), "-> ok", false, false))), 1);
        four.batches().train(config, List.of(group(four.policy(), batch(four.policy(), "-> no", false, false))), 1);
        assertThat(maxDifference(weights(three), weights(four))).isGreaterThan(1e-5);
    }

    @Test
    void overlongFilteringGivesTruncatedRolloutsNoLossUnderToolUseOnly() throws Exception {
        ExperimentConfig toolUse = TestSupport.config(TOOL_USE);
        Model one = model(toolUse);
        Model two = model(toolUse);
        List<RolloutRecord> a = batch(one.policy(), "-> ok", true, true);
        List<RolloutRecord> b = new ArrayList<>(batch(two.policy(), "-> ok", true, true));
        // the truncated rollout's own (model) tokens differ: filtered, so they do not matter
        b.set(3, rollout(two.policy(), "mv q", "-> okzz", 0.0, true, true));
        one.batches().train(toolUse, List.of(group(one.policy(), a)), 1);
        BatchResult filtered = two.batches().train(toolUse, List.of(group(two.policy(), b)), 1);
        assertThat(maxDifference(weights(one), weights(two))).isLessThan(1e-6);
        assertThat(filtered.steps().get(0).tokens())
                .as("4 + 2 + 5 model tokens, the truncated one left out")
                .isEqualTo(11);

        // Countdown does not filter: the same difference changes the update.
        ExperimentConfig countdown = TestSupport.config(COUNTDOWN);
        Model three = model(countdown);
        Model four = model(countdown);
        three.batches().train(countdown, List.of(group(three.policy(), batch(three.policy(), "-> ok", true, true))), 1);
        List<RolloutRecord> d = new ArrayList<>(batch(four.policy(), "-> ok", true, true));
        d.set(3, rollout(four.policy(), "mv q", "-> okzz", 0.0, true, true));
        BatchResult unfiltered = four.batches().train(countdown, List.of(group(four.policy(), d)), 1);
        assertThat(maxDifference(weights(three), weights(four))).isGreaterThan(1e-5);
        assertThat(unfiltered.steps().get(0).tokens()).isEqualTo(15);
    }

    @Test
    void drGrpoAndGrpoLossesFollowTheirFormulas() throws Exception {
        // klBeta 0 and no behaviour log-probs (the trainer computes them on-policy): the ratio is 1, so the first
        // epoch's loss is -(1/G) sum_i A_i * w_i with w_i = 1 (GRPO: mean over the rollout's tokens) or
        // n_i / L (Dr. GRPO: sum over its tokens, divided by the context length L).
        String[] texts = {"cd a", "ls", "cat bb", "rm"};
        double[] rewards = {1.0, 0.0, 0.5, 0.25};
        for (String json : List.of(TOOL_USE, COUNTDOWN)) {
            ExperimentConfig config =
                    TestSupport.config(json.replace("0.01,\"refUpdateEvery\"", "0.0,\"refUpdateEvery\""));
            assertThat(config.klBeta()).isZero();
            Model m = model(config);
            List<RolloutRecord> rollouts = new ArrayList<>();
            for (int i = 0; i < texts.length; i++) {
                rollouts.add(new RolloutRecord(
                        texts[i],
                        rewards[i],
                        rewards[i],
                        null,
                        null,
                        m.policy().tokenizer().encodePlain(texts[i]),
                        null,
                        null,
                        null,
                        null));
            }
            BatchResult r = m.batches().train(config, List.of(group(m.policy(), rollouts)), 1);
            boolean dr = json.equals(TOOL_USE);
            double[] adv = Advantages.of(rewards, config.advantageEpsilon(), dr);
            assertThat(r.advantages()).containsExactly(adv, within(1e-12));
            int contextLength = m.policy().model().config().maxPositionEmbeddings();
            double want = 0;
            for (int i = 0; i < texts.length; i++) {
                want -= adv[i] * (dr ? (double) texts[i].length() / contextLength : 1.0) / texts.length;
            }
            assertThat(r.steps().get(0).loss()).as(config.domain()).isCloseTo(want, within(1e-5));
            if (dr) {
                // r - mean: mean 0.4375
                assertThat(adv).containsExactly(new double[] {0.5625, -0.4375, 0.0625, -0.1875}, within(1e-12));
                assertThat(want).isNotZero();
            } else {
                assertThat(want).isCloseTo(0.0, within(1e-12)); // GRPO's advantages sum to 0 in a group
            }
        }
    }
}
