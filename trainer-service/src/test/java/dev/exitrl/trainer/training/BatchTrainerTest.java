package dev.exitrl.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import dev.exitrl.core.experiment.ExperimentConfig;
import dev.exitrl.core.grpo.Advantages;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.policy.Policy;
import dev.exitrl.policy.model.ModelConfig;
import dev.exitrl.policy.sampling.Generation;
import dev.exitrl.policy.sampling.SamplingParams;
import dev.exitrl.policy.tokenizer.CharVocabulary;
import dev.exitrl.policy.training.GrpoConfig;
import dev.exitrl.policy.training.PolicyTrainer;
import dev.exitrl.taskapi.ClaimedGroup;
import dev.exitrl.taskapi.RolloutRecord;
import dev.exitrl.trainer.TestSupport;
import dev.exitrl.trainer.TrainerProperties;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One training iteration on tiny-model groups: advantages, diversity, reference schedule, and that it learns. */
class BatchTrainerTest {

    @TempDir
    Path dir;

    private Policy policy;
    private PolicyTrainer trainer;
    private BatchTrainer batches;

    @BeforeEach
    void tinyPolicy() throws Exception {
        int vocab = CharVocabulary.write(dir, "0123456789+-*/= abcdefghijklmnopqrstuvwxyz:\n");
        ModelConfig config =
                ModelConfig.preset("tiny", vocab, CharVocabulary.BOS, CharVocabulary.EOS, CharVocabulary.PAD);
        policy = Policy.create(config, dir.resolve("tokenizer.json"), Device.cpu(), 3);
        trainer = new PolicyTrainer(
                policy.model(), BatchTrainer.grpoConfig(config(2, false, 0.5), TestSupport.properties(dir)));
        batches = new BatchTrainer(policy, trainer);
    }

    @AfterEach
    void close() {
        trainer.close();
        policy.close();
    }

    private static ExperimentConfig config(int refUpdateEvery, boolean dropZeroVariance, double alpha) {
        return TestSupport.config("{\"domain\":\"countdown\",\"preset\":\"exit\",\"model\":\"tiny\","
                + "\"learningRate\":0.01,\"klBeta\":0.01,\"refUpdateEvery\":" + refUpdateEvery
                + ",\"refUpdateAlpha\":" + alpha + ",\"dropZeroVarianceGroups\":" + dropZeroVariance + "}");
    }

    /** A group sampled from the policy (token ids and behaviour log-probs as a worker records them). */
    private ClaimedGroup sampled(String prompt, double[] rewards, Double[] diversity, int depth, StepKind kind) {
        long[] promptIds = policy.tokenizer().encode(prompt);
        List<long[]> prompts = new ArrayList<>();
        for (int i = 0; i < rewards.length; i++) {
            prompts.add(promptIds);
        }
        List<Generation> gens =
                policy.generateIds(prompts, new SamplingParams(6, 1.0, 1.0, 0, List.of(), false, 5L + depth));
        List<RolloutRecord> rollouts = new ArrayList<>();
        for (int i = 0; i < rewards.length; i++) {
            Generation g = gens.get(i);
            rollouts.add(new RolloutRecord(
                    g.text(), rewards[i], rewards[i], null, null, g.tokenIds(), g.logProbs(), diversity[i]));
        }
        return new ClaimedGroup(depth, depth, depth, kind, 0, 0.1, prompt, promptIds, rollouts);
    }

    private ClaimedGroup textOnly(String prompt, String[] responses, double[] rewards) {
        List<RolloutRecord> rollouts = new ArrayList<>();
        for (int i = 0; i < responses.length; i++) {
            rollouts.add(new RolloutRecord(responses[i], rewards[i], rewards[i], null, null, null, null, null));
        }
        return new ClaimedGroup(9, 9, 1, StepKind.IMPROVE, 0, 0.1, prompt, null, rollouts);
    }

    private static final Double[] NONE = {null, null, null, null};

    @Test
    void advantagesAreExitCoresAndTheDiversityMultiplierScalesThem() {
        double[] r1 = {1.0, 0.0, 0.5, 0.25};
        double[] r2 = {0.3, 0.3, 0.3, 0.3};
        double[] r3 = {0.0, 1.0, 0.0, 0.0};
        Double[] d3 = {2.0, 0.5, 1.0, 3.0};
        List<ClaimedGroup> groups = List.of(
                sampled("a:1+2", r1, NONE, 0, StepKind.SOLVE),
                sampled("b:3*4", r2, NONE, 1, StepKind.IMPROVE),
                sampled("c:5-1", r3, d3, 3, StepKind.DIVERGE));
        ExperimentConfig config = config(100, false, 1.0);

        BatchResult result = batches.train(config, groups, 1);

        Advantages.Batch expected =
                Advantages.ofBatch(List.of(r1, r2, r3), config.advantageEpsilon(), config.dropZeroVarianceGroups());
        double[] want = new double[12];
        for (int g = 0; g < 3; g++) {
            for (int i = 0; i < 4; i++) {
                double d = g == 2 ? d3[i] : 1.0;
                want[g * 4 + i] = expected.advantages().get(g)[i] * d;
            }
        }
        assertThat(result.advantages()).containsExactly(want, within(1e-12));
        assertThat(result.advantages()[8]).isNotEqualTo(expected.advantages().get(2)[0]);
        assertThat(result.zeroVarianceGroups()).isEqualTo(1);
        assertThat(result.zeroVarianceFraction()).isEqualTo(1.0 / 3);
        assertThat(result.diversity()).containsExactly(2.0, 0.5, 1.0, 3.0);
        assertThat(result.meanDepth()).isEqualTo(4.0 / 3);
        assertThat(result.maxDepth()).isEqualTo(3);
        assertThat(result.meanReward())
                .containsOnlyKeys(StepKind.SOLVE, StepKind.IMPROVE, StepKind.DIVERGE)
                .containsEntry(StepKind.IMPROVE, 0.3);
        assertThat(result.recomputedRollouts()).isZero();
        assertThat(result.trained()).isTrue();
        assertThat(result.steps()).hasSize(config.epochsPerBatch());
    }

    @Test
    void stepHasFiniteLossAndChangesThePolicyTowardsHighRewardResponses() {
        ClaimedGroup g = sampled("a:1+2", new double[] {1.0, 0.0, 0.0, 0.0}, NONE, 0, StepKind.SOLVE);
        long[] prompt = g.promptTokenIds();
        long[] best = g.rollouts().get(0).tokenIds();
        float before = sum(policy.tokenLogProbs(List.of(prompt), List.of(best)).get(0));
        ExperimentConfig config = config(100, false, 1.0);

        BatchResult last = null;
        for (int v = 1; v <= 5; v++) {
            last = batches.train(config, List.of(g), v);
            assertThat(last.lastStep().loss()).isFinite();
            assertThat(last.lastStep().gradNorm()).isFinite().isPositive();
        }
        float after = sum(policy.tokenLogProbs(List.of(prompt), List.of(best)).get(0));
        // The rewarded response became more likely (its advantage is the only positive one).
        assertThat(after).isGreaterThan(before);
        assertThat(last.tokens()).isPositive();
        assertThat(last.tokensPerSecond()).isPositive();
    }

    @Test
    void referenceIsUpdatedEveryRefUpdateEveryVersions() {
        ExperimentConfig config = config(2, false, 1.0);
        ClaimedGroup g = sampled("a:1+2", new double[] {1.0, 0.0, 0.5, 0.0}, NONE, 0, StepKind.SOLVE);
        List<Boolean> updated = new ArrayList<>();
        List<Boolean> equalAfter = new ArrayList<>();
        for (int v = 1; v <= 4; v++) {
            updated.add(batches.train(config, List.of(g), v).referenceUpdated());
            equalAfter.add(referenceEqualsPolicy());
        }
        assertThat(updated).containsExactly(false, true, false, true);
        // alpha = 1 copies the policy into the reference exactly at those versions, and only then.
        assertThat(equalAfter).containsExactly(false, true, false, true);
    }

    @Test
    void rolloutsWithoutTokensOrLogProbsAreTokenisedAndTrainedOnPolicy() {
        ClaimedGroup text = textOnly("b:2*3", new String[] {"6", "5", "", "2*3=6"}, new double[] {1, 0, 0, 1});
        BatchResult r = batches.train(config(100, false, 1.0), List.of(text), 1);
        assertThat(r.recomputedRollouts()).isEqualTo(4);
        assertThat(r.trained()).isTrue();
        // On-policy: the ratio starts at 1, so nothing is clipped in the first epoch.
        assertThat(r.steps().get(0).clipFraction()).isZero();
        // Text responses were tokenised with EOS appended: "6" is two tokens, "" one, "2*3=6" six.
        assertThat(r.steps().get(0).tokens()).isEqualTo(2 + 2 + 1 + 6);
    }

    @Test
    void droppedZeroVarianceBatchTrainsNothing() {
        ClaimedGroup flat = sampled("a:1+2", new double[] {0.5, 0.5, 0.5, 0.5}, NONE, 0, StepKind.SOLVE);
        long stepBefore = trainer.step();
        BatchResult r = batches.train(config(1, true, 1.0), List.of(flat), 1);
        assertThat(r.trained()).isFalse();
        assertThat(r.referenceUpdated()).isFalse();
        assertThat(r.zeroVarianceGroups()).isEqualTo(1);
        assertThat(trainer.step()).isEqualTo(stepBefore);
    }

    @Test
    void fp16TrainerKeepsMixedPrecisionAcrossBatches() {
        TrainerProperties fp16 = withPrecision(TestSupport.properties(dir), "fp16");
        try (PolicyTrainer half =
                new PolicyTrainer(policy.model(), BatchTrainer.grpoConfig(config(100, false, 1.0), fp16))) {
            assertThat(half.config().precision()).isEqualTo(GrpoConfig.Precision.FP16);
            BatchTrainer halfBatches = new BatchTrainer(policy, half);
            ClaimedGroup g = sampled("a:1+2", new double[] {1.0, 0.0, 0.5, 0.0}, NONE, 0, StepKind.SOLVE);
            for (int v = 1; v <= 2; v++) {
                BatchResult r = halfBatches.train(config(100, false, 1.0), List.of(g), v);
                assertThat(r.trained()).isTrue();
            }
            // The experiment's objective settings replace the trainer's; precision and shapes stay.
            assertThat(half.config().precision()).isEqualTo(GrpoConfig.Precision.FP16);
            assertThat(half.config().learningRate()).isEqualTo(0.01);
        }
    }

    private static TrainerProperties withPrecision(TrainerProperties p, String precision) {
        return new TrainerProperties(
                p.taskServiceUrl(),
                p.checkpointDir(),
                p.device(),
                p.publicUrl(),
                p.keepCheckpoints(),
                p.pollInterval(),
                p.loopEnabled(),
                p.claimSeconds(),
                p.microBatchSize(),
                p.weightDecay(),
                p.maxGradNorm(),
                precision,
                p.warmStart());
    }

    private boolean referenceEqualsPolicy() {
        Map<String, Parameter> ref = trainer.reference().namedParameters();
        for (Map.Entry<String, Parameter> e : policy.model().namedParameters().entrySet()) {
            NDArray a = e.getValue().getArray();
            NDArray b = ref.get(e.getKey()).getArray();
            if (!Arrays.equals(a.toFloatArray(), b.toFloatArray())) {
                return false;
            }
        }
        return true;
    }

    private static float sum(float[] xs) {
        float s = 0;
        for (float x : xs) {
            s += x;
        }
        return s;
    }
}
