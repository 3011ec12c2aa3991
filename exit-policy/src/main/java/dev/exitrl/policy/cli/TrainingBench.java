package dev.exitrl.policy.cli;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import dev.exitrl.policy.Devices;
import dev.exitrl.policy.model.CausalLm;
import dev.exitrl.policy.model.ModelConfig;
import dev.exitrl.policy.training.GrpoConfig;
import dev.exitrl.policy.training.PolicyTrainer;
import dev.exitrl.policy.training.StepStats;
import dev.exitrl.policy.training.TokenLogProbs;
import dev.exitrl.policy.training.TrainingBudget;
import dev.exitrl.policy.training.TrainingSample;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code bench-train}: GRPO step throughput and memory on random weights of a given shape. Options: {@code --config},
 * {@code --device}, {@code --batch} B, {@code --seq-len} T, {@code --micro-batch}, {@code --steps}, {@code --bucket}
 * (sequence bucket, 0 = none), {@code --precision fp32|fp16}, {@code --seed}. Tokens per second count B x T
 * positions per step. Prints the written-down {@link TrainingBudget} next to the memory used.
 */
public final class TrainingBench {

    private TrainingBench() {}

    /** Random GRPO groups: prompt T/2, response T - T/2, random behaviour log-probs and advantages. */
    static List<List<TrainingSample>> randomGroups(ModelConfig config, int batch, int seqLen, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int promptLen = Math.max(1, seqLen / 2);
        int responseLen = Math.max(1, seqLen - promptLen);
        List<long[]> prompts = Bench.randomPrompts(config, batch, promptLen, seed);
        List<long[]> responses = Bench.randomPrompts(config, batch, responseLen, seed + 1);
        List<List<TrainingSample>> groups = new ArrayList<>();
        int groupSize = Math.min(8, batch);
        List<TrainingSample> group = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            float[] behaviour = new float[responseLen];
            for (int i = 0; i < responseLen; i++) {
                behaviour[i] = (float) (-Math.log(config.vocabSize()) + random.nextGaussian() * 0.1);
            }
            group.add(new TrainingSample(prompts.get(b), responses.get(b), behaviour, random.nextGaussian()));
            if (group.size() == groupSize) {
                groups.add(group);
                group = new ArrayList<>();
            }
        }
        if (!group.isEmpty()) {
            groups.add(group);
        }
        return groups;
    }

    static Map<String, Object> training(Map<String, String> opts) throws IOException {
        ModelConfig config = Bench.config(opts);
        Device device = Devices.resolve(opts.getOrDefault("device", "auto"));
        int batch = PolicyCli.intOption(opts, "batch", 8, 1, 4096);
        int seqLen = PolicyCli.intOption(opts, "seq-len", 256, 2, 1 << 16);
        int micro = PolicyCli.intOption(opts, "micro-batch", batch, 1, 4096);
        int steps = PolicyCli.intOption(opts, "steps", 3, 1, 10_000);
        int bucket = PolicyCli.intOption(opts, "bucket", GrpoConfig.DEFAULT_BUCKET, 0, 1 << 16);
        long seed = PolicyCli.intOption(opts, "seed", 0, 0, Integer.MAX_VALUE);
        GrpoConfig.Precision precision = GrpoConfig.Precision.parse(opts.getOrDefault("precision", "fp32"));
        GrpoConfig grpo = GrpoConfig.defaults(1e-6)
                .withMicroBatchSize(micro)
                .withSequenceBucket(bucket)
                .withPrecision(precision);
        ModelConfig sized = config.withAtLeastPositions(seqLen);
        double rssBeforeModel = ProcessMemory.rssMb();
        try (CausalLm model = CausalLm.random(sized, device, DataType.FLOAT32, seed);
                PolicyTrainer trainer = new PolicyTrainer(model, grpo)) {
            List<List<TrainingSample>> groups = randomGroups(config, batch, seqLen, seed);
            // Warm-up: lazy initialisation, and in FP16 the overflowing first steps until the loss scale fits (random
            // weights and data), so the timed steps are ones that update.
            int warmUp = 0;
            while (trainer.grpoStep(groups).skipped() && ++warmUp < 24) {
                // halve the scale again
            }
            boolean peakReset = ProcessMemory.resetPeak(); // measure the timed steps, not model building
            long t0 = System.nanoTime();
            StepStats last = null;
            int skipped = 0;
            for (int i = 0; i < steps; i++) {
                last = trainer.grpoStep(groups);
                skipped += last.skipped() ? 1 : 0;
            }
            double perStep = (System.nanoTime() - t0) / 1e9 / steps;
            int rows = Math.min(micro, batch);
            int padded = TokenLogProbs.paddedLength(sized, seqLen, bucket);
            long largest = 0;
            for (Parameter p : model.namedParameters().values()) {
                largest = Math.max(largest, p.getArray().size());
            }
            TrainingBudget budget = TrainingBudget.of(sized, model.parameterCount(), largest, grpo, rows, padded);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("device", device.toString());
            result.put("precision", precision.toString().toLowerCase(Locale.ROOT));
            result.put("parameters", model.parameterCount());
            result.put("batch", batch);
            result.put("seq_len", seqLen);
            result.put("micro_batch", micro);
            result.put("padded_seq_len", padded);
            result.put("tokens_per_s", batch * (double) seqLen / perStep);
            result.put(
                    "tokens_counted_as",
                    "batch x seq_len: every prompt and response position of every rollout, padding not counted");
            result.put("s_per_step", perStep);
            if (precision == GrpoConfig.Precision.FP16) {
                result.put("skipped_steps", skipped);
                result.put("loss_scale", trainer.mixedPrecision().scale());
            }
            Bench.putMemory(result, device, budget.total(), budget.partsMb(), rssBeforeModel, peakReset);
            return result;
        }
    }
}
