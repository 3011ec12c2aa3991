package dev.exitrl.policy.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.exitrl.policy.model.CausalLm;
import dev.exitrl.policy.model.ModelConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every decode step issues the same ops on the same shapes (issue #15: a caching allocator can then reuse its
 * blocks), checked with the PyTorch profiler: the ops and input shapes of step 3 and of step 11 must be identical.
 * Same input shapes to the same ops means the same output shapes, so the set of shapes a step allocates does not
 * depend on the step. The recompute decoder, whose sequence grows, shows the check can fail.
 */
class DecodeShapesTest {

    static CausalLm model;

    @BeforeAll
    static void load() {
        model = CausalLm.random(ModelConfig.preset("tiny", 300, 0, 1, -1), Device.cpu(), DataType.FLOAT32, 3);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** Top-level ops of steps a and b of one request (prompts of different lengths, so rows are padded). */
    static List<List<OpProfile.Op>> profileSteps(boolean cached, SamplingParams params, int a, int b) {
        List<long[]> prompts = List.of(new long[] {5, 6, 7, 8, 9}, new long[] {10, 11}, new long[] {12, 13, 14});
        PromptBatch batch = PromptBatch.of(prompts, model.config(), params.maxNewTokens(), -1e9f);
        try (NDManager gen = model.manager().newSubManager();
                Decoder dec = cached ? new CachedDecoder(model, batch, gen) : new RecomputeDecoder(model, batch, gen)) {
            Generator.Steps steps = new Generator.Steps(gen, dec, params, batch.batch());
            List<OpProfile.Op> first = null;
            List<OpProfile.Op> second = null;
            for (int t = 0; t <= b; t++) {
                int step = t;
                if (t == a) {
                    first = OpProfile.record(() -> steps.run(step));
                } else if (t == b) {
                    second = OpProfile.record(() -> steps.run(step));
                } else {
                    steps.run(t);
                }
            }
            return List.of(first, second);
        }
    }

    @Test
    void cachedDecodeStepsIssueTheSameOpsOnTheSameShapes() {
        for (SamplingParams params : List.of(
                SamplingParams.greedy(16).withStopAtEos(false),
                new SamplingParams(16, 0.8, 0.9, 20, List.of(), false, 1))) {
            List<List<OpProfile.Op>> steps = profileSteps(true, params, 3, 11);
            assertThat(steps.get(0)).as("ops of a decode step").hasSizeGreaterThan(20);
            assertThat(steps.get(1)).as("step 11 vs step 3").containsExactlyElementsOf(steps.get(0));
            Set<String> shapes = new HashSet<>();
            steps.get(0).forEach(op -> shapes.add(op.shapes()));
            // The whole-cache attention shows up: scores over all T = 5 + 16 slots at both steps.
            assertThat(String.join(" ", shapes)).contains("21]");
        }
    }

    @Test
    void theRecomputeBaselineGrowsItsShapes() {
        List<List<OpProfile.Op>> steps =
                profileSteps(false, SamplingParams.greedy(16).withStopAtEos(false), 3, 11);
        assertThat(steps.get(1)).hasSameSizeAs(steps.get(0)); // the same ops ...
        assertThat(steps.get(1)).isNotEqualTo(steps.get(0)); // ... on longer sequences
    }

    @Test
    void continuousBatchingStepsIssueTheSameOpsOnTheSameShapes() {
        List<long[]> prompts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            prompts.add(new long[] {5 + i, 6, 7, 8, 9, 10}.clone());
            prompts.add(new long[] {20 + i, 21});
        }
        Map<Integer, List<OpProfile.Op>> profiled = new HashMap<>();
        // Steps 5 and 13: both after refills (every 4 steps with k = 4), at different ring slots.
        ContinuousBatcher batcher = new ContinuousBatcher(model, ids -> "", (step, work) -> {
            if (step == 5 || step == 13) {
                profiled.put(step, OpProfile.record(work));
            } else {
                work.run();
            }
        });
        SamplingParams params = new SamplingParams(12, 1.0, 0.9, 0, List.of(), false, 2)
                .withSyncEvery(4)
                .withMaxBatch(3);
        ContinuousBatcher.Result result = batcher.generate(prompts, params);
        assertThat(result.decodeSteps()).isGreaterThan(13);
        assertThat(profiled.get(5)).hasSizeGreaterThan(20);
        assertThat(profiled.get(13)).as("step 13 vs step 5").containsExactlyElementsOf(profiled.get(5));
    }

    @Test
    void opCountsPerDecodeStepStayAtTheCutLevel() {
        // Before #15 a sampled decode step of this 2-layer model issued 164 top-level ops, 63 per layer (measured
        // with the same method on the pre-#15 jar); the cuts brought them to 125 and 48. Fail if they creep back.
        double[] ops = OpProfile.decodeOps(model, SamplingParams.sample(16, 1).withStopAtEos(false));
        assertThat(ops[1]).as("ops per layer per decode step").isLessThanOrEqualTo(48);
        assertThat(ops[0]).as("ops per decode step").isLessThanOrEqualTo(125.5).isGreaterThan(2 * ops[1]);
    }
}
