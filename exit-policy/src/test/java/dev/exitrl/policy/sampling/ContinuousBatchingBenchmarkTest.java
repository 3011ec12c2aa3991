package dev.exitrl.policy.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.exitrl.policy.model.CausalLm;
import dev.exitrl.policy.model.ModelConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Gain of continuous batching over static batching of the same prompts on this machine's CPU. Run with
 * {@code -Pbench -Dtest=ContinuousBatchingBenchmarkTest}.
 *
 * <p>Length distribution: a tiny random model (weights N(0, 0.02)) over a 64-token vocabulary samples nearly
 * uniformly at temperature 1, so it emits EOS with probability about 1/64 per step: response lengths are geometric
 * with mean about 64, cut at N = 256. RL responses are like that: most end early, a long tail runs to the limit
 * (GRPO rollouts of reasoning models show long-tailed lengths), and a static batch runs until its longest row ends:
 * the expected maximum of 16 such draws is about 3.4 times the mean.
 */
@Tag("bench")
class ContinuousBatchingBenchmarkTest {

    @Test
    void continuousVersusStaticBatching() {
        ModelConfig config = ModelConfig.preset("tiny", 64, 0, 1, 2);
        int prompts = 64;
        int slots = 16;
        int n = 256;
        try (CausalLm model = CausalLm.random(config, Device.cpu(), DataType.FLOAT32, 1)) {
            Generator generator = new Generator(model, null);
            List<long[]> batch = new ArrayList<>();
            SplittableRandom random = new SplittableRandom(5);
            for (int i = 0; i < prompts; i++) {
                long[] ids = new long[8 + random.nextInt(17)];
                for (int j = 0; j < ids.length; j++) {
                    ids[j] = 3 + random.nextInt(60);
                }
                batch.add(ids);
            }
            for (int k : new int[] {16, 4}) {
                SamplingParams params = SamplingParams.sample(n, 3).withSyncEvery(k);
                // Warm-up of both paths.
                generator.generate(batch.subList(0, slots), params.withStopAtEos(true));
                new ContinuousBatcher(model, ids -> "")
                        .generate(batch.subList(0, 2 * slots), params.withMaxBatch(slots));

                long t0 = System.nanoTime();
                List<Generation> fixed = new ArrayList<>();
                int staticSteps = 0;
                for (int c = 0; c < prompts; c += slots) {
                    List<Generation> part = generator.generate(batch.subList(c, c + slots), params);
                    fixed.addAll(part);
                    int longest = part.stream()
                            .mapToInt(g -> g.tokenIds().length)
                            .max()
                            .orElse(0);
                    staticSteps += Math.min(n, (longest + k - 1) / k * k); // the device runs to the next sync
                }
                double staticSeconds = (System.nanoTime() - t0) / 1e9;
                long t1 = System.nanoTime();
                ContinuousBatcher.Result cont =
                        new ContinuousBatcher(model, ids -> "").generate(batch, params.withMaxBatch(slots));
                double contSeconds = (System.nanoTime() - t1) / 1e9;
                int staticTokens =
                        fixed.stream().mapToInt(g -> g.tokenIds().length).sum();
                int contTokens = cont.generations().stream()
                        .mapToInt(g -> g.tokenIds().length)
                        .sum();
                int[] lengths = cont.generations().stream()
                        .mapToInt(g -> g.tokenIds().length)
                        .sorted()
                        .toArray();
                System.out.printf(
                        "%n| k=%d, %d prompts, %d slots, N=%d | static | continuous |%n|---|---|---|%n",
                        k, prompts, slots, n);
                System.out.printf(
                        "| response length mean / p50 / p90 / max (continuous run) | %s | %.1f / %d / %d / %d |%n",
                        "",
                        Arrays.stream(lengths).average().orElse(0),
                        lengths[lengths.length / 2],
                        lengths[lengths.length * 9 / 10],
                        lengths[lengths.length - 1]);
                System.out.printf("| tokens generated | %d | %d |%n", staticTokens, contTokens);
                System.out.printf("| decode steps | %d | %d |%n", staticSteps, cont.decodeSteps());
                System.out.printf("| seconds | %.2f | %.2f |%n", staticSeconds, contSeconds);
                System.out.printf(
                        "| tokens/s | %.0f | %.0f |%n%n", staticTokens / staticSeconds, contTokens / contSeconds);
                assertThat(cont.decodeSteps()).isLessThan(staticSteps);
            }
        }
    }
}
