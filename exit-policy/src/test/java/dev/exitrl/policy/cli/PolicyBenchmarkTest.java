package dev.exitrl.policy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.exitrl.policy.model.CausalLm;
import dev.exitrl.policy.model.ModelConfig;
import dev.exitrl.policy.sampling.Generator;
import dev.exitrl.policy.training.GrpoConfig;
import dev.exitrl.policy.training.PolicyTrainer;
import dev.exitrl.policy.training.TrainingSample;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Speed of the tiny preset on this machine's CPU: generation at batch 64 x 128 new tokens with the KV cache and
 * with full recompute in the same run, GRPO training tokens/s, and peak RSS. Run with {@code -Pbench}.
 */
@Tag("bench")
class PolicyBenchmarkTest {

    @Test
    void tinyPreset() {
        ModelConfig config = ModelConfig.preset("tiny", 64, 0, 1, 2);
        int batch = 64;
        int promptLen = 16;
        int newTokens = 128;
        try (CausalLm model = CausalLm.random(config, Device.cpu(), DataType.FLOAT32, 1)) {
            Generator generator = new Generator(model, null);
            List<long[]> prompts = Bench.randomPrompts(config, batch, promptLen, 1);
            Bench.timeGeneration(generator, prompts, 8, true, 0);
            Bench.timeGeneration(generator, prompts, 8, false, 0);
            Bench.GenerationRun cached = Bench.timeGeneration(generator, prompts, newTokens, true, 2);
            Bench.GenerationRun recomputed = Bench.timeGeneration(generator, prompts, newTokens, false, 2);
            double cachedTps = batch * (double) newTokens / cached.seconds();
            double recomputeTps = batch * (double) newTokens / recomputed.seconds();

            int trainBatch = 32;
            int seqLen = 64;
            double trainTps;
            try (PolicyTrainer trainer =
                    new PolicyTrainer(model, GrpoConfig.defaults(1e-4).withMicroBatchSize(trainBatch))) {
                List<List<TrainingSample>> groups = TrainingBench.randomGroups(config, trainBatch, seqLen, 3);
                trainer.grpoStep(groups);
                int steps = 10;
                long t0 = System.nanoTime();
                for (int i = 0; i < steps; i++) {
                    trainer.grpoStep(groups);
                }
                double perStep = (System.nanoTime() - t0) / 1e9 / steps;
                trainTps = trainBatch * (double) seqLen / perStep;
            }
            System.out.printf("%n| tiny preset (%d params), CPU | value |%n|---|---|%n", model.parameterCount());
            System.out.printf(
                    "| generation, KV cache, batch %d x %d new tokens | %.0f tokens/s, %.2f ms/decode step |%n",
                    batch, newTokens, cachedTps, cached.msPerDecodeStep());
            System.out.printf(
                    "| generation, full recompute, same shape | %.0f tokens/s, %.2f ms/decode step |%n",
                    recomputeTps, recomputed.msPerDecodeStep());
            System.out.printf("| KV cache speed-up | %.1fx |%n", cachedTps / recomputeTps);
            System.out.printf(
                    "| GRPO train (fwd + bwd + AdamW), batch %d x %d tokens | %.0f tokens/s |%n",
                    trainBatch, seqLen, trainTps);
            System.out.printf("| peak RSS | %.0f MB |%n%n", ProcessMemory.peakRssMb());
            assertThat(cachedTps).as("KV cache vs full recompute").isGreaterThan(3 * recomputeTps);
        }
    }
}
