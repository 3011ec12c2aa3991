package dev.exitrl.policy.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Continuous batching on the hf-tiny qwen2 fixture with EOS moved to a token the random weights emit often (see
 * GeneratorGoldenTest), so rows end at varied steps and waiting prompts move into freed slots.
 */
class ContinuousBatcherTest {

    @BeforeAll
    static void load(@TempDir Path dir) throws Exception {
        GeneratorGoldenTest.load(dir);
    }

    @AfterAll
    static void close() {
        GeneratorGoldenTest.close();
    }

    @Test
    void aPromptInARefilledSlotGeneratesWhatItWouldAlone() {
        List<long[]> prompts = GeneratorGoldenTest.prompts(); // 12 prompts of varied lengths
        Generator generator = GeneratorGoldenTest.generator;
        SamplingParams greedy = SamplingParams.greedy(40).withSyncEvery(4);
        ContinuousBatcher.Result result = new ContinuousBatcher(GeneratorGoldenTest.policy.model(), ids -> "")
                .generate(prompts, greedy.withMaxBatch(3));
        int refilled = 0;
        int eos = 0;
        for (int i = 0; i < prompts.size(); i++) {
            Generation alone =
                    generator.generate(List.of(prompts.get(i)), greedy).get(0);
            Generation batched = result.generations().get(i);
            assertThat(batched.tokenIds()).as("prompt %d", i).containsExactly(alone.tokenIds());
            assertThat(batched.finishReason()).isEqualTo(alone.finishReason());
            for (int j = 0; j < alone.logProbs().length; j++) {
                assertThat(batched.logProbs()[j]).isCloseTo(alone.logProbs()[j], Offset.offset(1e-4f));
            }
            refilled += i >= 3 ? 1 : 0;
            eos += alone.finishReason().equals("eos") ? 1 : 0;
        }
        assertThat(refilled).isEqualTo(9);
        assertThat(eos).as("rows ending early, so slots are refilled mid-run").isGreaterThan(2);
        // Refilling beat running 4 static batches of 3 to their longest row.
        int staticSteps = 0;
        for (int c = 0; c < prompts.size(); c += 3) {
            int longest = 0;
            for (int i = c; i < c + 3; i++) {
                longest = Math.max(longest, result.generations().get(i).tokenIds().length);
            }
            staticSteps += longest;
        }
        assertThat(result.decodeSteps()).isLessThan(staticSteps);
    }

    @Test
    void sampledContinuousBatchingIsReproducibleAndTopKOneIsGreedy() {
        List<long[]> prompts = new ArrayList<>(GeneratorGoldenTest.prompts());
        Generator generator = GeneratorGoldenTest.generator;
        SamplingParams sampled = new SamplingParams(30, 1.0, 0.95, 0, List.of(), true, 9).withMaxBatch(5);
        List<Generation> a = generator.generate(prompts, sampled);
        List<Generation> b = generator.generate(prompts, sampled);
        for (int i = 0; i < prompts.size(); i++) {
            assertThat(a.get(i).tokenIds()).containsExactly(b.get(i).tokenIds());
            assertThat(a.get(i).logProbs()).containsExactly(b.get(i).logProbs());
            assertThat(a.get(i).logProbs()).hasSize(a.get(i).tokenIds().length);
        }
        List<Generation> topOne =
                generator.generate(prompts, new SamplingParams(30, 0.7, 1, 1, List.of(), true, 9).withMaxBatch(5));
        List<Generation> greedy = generator.generate(prompts, SamplingParams.greedy(30));
        for (int i = 0; i < prompts.size(); i++) {
            assertThat(topOne.get(i).tokenIds()).containsExactly(greedy.get(i).tokenIds());
        }
    }
}
