package dev.exitrl.policy.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.exitrl.policy.Fixtures;
import dev.exitrl.policy.Policy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GeneratorTest {

    static Policy policy;
    static Generator generator;
    static final List<String> TEXTS =
            List.of("Problem: compute 12 + 7 = 19.", "Target 42", "Improve your current response:\n(25 - 5) * 3", "x");

    @BeforeAll
    static void load() throws Exception {
        policy = Policy.load(Fixtures.hfTiny().resolve("qwen2"), Device.cpu(), DataType.FLOAT32);
        generator = new Generator(policy.model(), policy.tokenizer());
    }

    @AfterAll
    static void close() {
        policy.close();
    }

    static List<long[]> prompts() {
        List<long[]> out = new ArrayList<>();
        for (String t : TEXTS) {
            out.add(policy.tokenizer().encode(t));
        }
        return out;
    }

    @Test
    void batchedCachedGreedyEqualsPerPromptRecompute() {
        SamplingParams greedy = SamplingParams.greedy(24).withStopAtEos(false);
        List<Generation> cached = generator.generate(prompts(), greedy);
        for (int i = 0; i < TEXTS.size(); i++) {
            Generation alone = generator
                    .generateWithoutCache(List.of(prompts().get(i)), greedy)
                    .get(0);
            assertThat(cached.get(i).tokenIds()).as("row %d", i).containsExactly(alone.tokenIds());
            assertThat(cached.get(i).tokenIds()).hasSize(24);
        }
        List<Generation> recomputedBatch = generator.generateWithoutCache(prompts(), greedy);
        for (int i = 0; i < TEXTS.size(); i++) {
            assertThat(cached.get(i).tokenIds())
                    .containsExactly(recomputedBatch.get(i).tokenIds());
        }
    }

    @Test
    void sampledLogProbsEqualTrainingLogProbsAtTemperatureOne() {
        List<Generation> gens =
                generator.generate(prompts(), SamplingParams.sample(16, 7).withStopAtEos(false));
        List<long[]> responses = gens.stream().map(Generation::tokenIds).toList();
        List<float[]> scored = policy.tokenLogProbs(prompts(), responses);
        for (int i = 0; i < gens.size(); i++) {
            float[] sampled = gens.get(i).logProbs();
            assertThat(sampled).hasSize(16);
            for (int j = 0; j < sampled.length; j++) {
                assertThat(sampled[j]).isCloseTo(scored.get(i)[j], Offset.offset(1e-4f));
                assertThat(sampled[j]).isLessThanOrEqualTo(0f);
            }
        }
    }

    @Test
    void seededSamplingIsReproducibleAndSeedsDiffer() {
        SamplingParams p = new SamplingParams(20, 1.0, 0.95, 50, List.of(), false, 123);
        List<Generation> a = generator.generate(prompts(), p);
        List<Generation> b = generator.generate(prompts(), p);
        List<Generation> c = generator.generate(prompts(), p.withSeed(124));
        boolean anyDifferent = false;
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).tokenIds()).containsExactly(b.get(i).tokenIds());
            assertThat(a.get(i).logProbs()).containsExactly(b.get(i).logProbs());
            anyDifferent |= !Arrays.equals(a.get(i).tokenIds(), c.get(i).tokenIds());
        }
        assertThat(anyDifferent).isTrue();
    }

    @Test
    void topKOneAndTinyTopPReduceToGreedy() {
        SamplingParams greedy = SamplingParams.greedy(12).withStopAtEos(false);
        List<Generation> expected = generator.generate(prompts(), greedy);
        List<Generation> topK = generator.generate(prompts(), new SamplingParams(12, 0.7, 1, 1, List.of(), false, 5));
        List<Generation> topP =
                generator.generate(prompts(), new SamplingParams(12, 1.0, 1e-6, 0, List.of(), false, 5));
        for (int i = 0; i < expected.size(); i++) {
            assertThat(topK.get(i).tokenIds()).containsExactly(expected.get(i).tokenIds());
            assertThat(topP.get(i).tokenIds()).containsExactly(expected.get(i).tokenIds());
            // With one candidate left the sampling distribution is a point mass: log-prob 0.
            assertThat(topK.get(i).logProbs()[0]).isCloseTo(0f, Offset.offset(1e-6f));
        }
    }

    @Test
    void stopsAtStopStringAndEos() {
        Generation free = generator
                .generate(
                        List.of(prompts().get(0)), SamplingParams.sample(30, 3).withStopAtEos(false))
                .get(0);
        assertThat(free.text().length()).isGreaterThan(3);
        String stop = free.text().substring(2, 4);
        Generation stopped = generator
                .generate(List.of(prompts().get(0)), new SamplingParams(30, 1, 1, 0, List.of(stop), false, 3))
                .get(0);
        assertThat(stopped.finishReason()).isEqualTo("stop");
        assertThat(stopped.text())
                .isEqualTo(free.text().substring(0, free.text().indexOf(stop)));
        assertThat(stopped.tokenIds().length).isLessThan(free.tokenIds().length);

        int eos = policy.model().config().eosTokenId();
        List<long[]> many = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            many.add(prompts().get(i % 4));
        }
        for (Generation g : generator.generate(many, SamplingParams.sample(40, 11))) {
            long[] ids = g.tokenIds();
            for (int j = 0; j < ids.length - 1; j++) {
                assertThat(ids[j]).isNotEqualTo(eos);
            }
            assertThat(g.finishReason()).isEqualTo(ids[ids.length - 1] == eos ? "eos" : "length");
            assertThat(g.logProbs()).hasSize(ids.length);
        }
    }

    @Test
    void howOftenIdsComeToTheHostDoesNotChangeOutputs() {
        int eos = policy.model().config().eosTokenId();
        SamplingParams base = new SamplingParams(20, 1.0, 0.9, 0, List.of("e"), true, 17);
        List<Generation> everyStep = generator.generate(prompts(), base.withSyncEvery(1));
        for (int k : new int[] {3, 16, 64}) {
            List<Generation> chunked = generator.generate(prompts(), base.withSyncEvery(k));
            for (int i = 0; i < everyStep.size(); i++) {
                assertThat(chunked.get(i).tokenIds())
                        .as("k=%d row %d", k, i)
                        .containsExactly(everyStep.get(i).tokenIds());
                assertThat(chunked.get(i).logProbs())
                        .containsExactly(everyStep.get(i).logProbs());
                assertThat(chunked.get(i).finishReason())
                        .isEqualTo(everyStep.get(i).finishReason());
                assertThat(chunked.get(i).text()).isEqualTo(everyStep.get(i).text());
            }
        }
        assertThat(everyStep).anyMatch(g -> g.finishReason().equals("stop") && g.tokenIds().length < 20);
        assertThat(eos).isGreaterThanOrEqualTo(0);
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> new SamplingParams(0, 1, 1, 0, List.of(), true, 0))
                .hasMessageContaining("maxNewTokens");
        assertThatThrownBy(() -> new SamplingParams(4, 1, 1.5, 0, List.of(), true, 0))
                .hasMessageContaining("topP");
        assertThatThrownBy(() -> generator.generate(List.of(new long[] {99999}), SamplingParams.greedy(2)))
                .hasMessageContaining("outside");
        assertThatThrownBy(() -> generator.generate(List.of(new long[] {0}), SamplingParams.greedy(1000)))
                .hasMessageContaining("max_position_embeddings");
    }
}
