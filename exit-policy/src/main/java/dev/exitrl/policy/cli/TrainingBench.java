package dev.exitrl.policy.cli;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import ai.djl.util.cuda.CudaUtils;
import dev.exitrl.policy.Devices;
import dev.exitrl.policy.model.CausalLm;
import dev.exitrl.policy.model.ModelConfig;
import dev.exitrl.policy.training.GrpoConfig;
import dev.exitrl.policy.training.PolicyTrainer;
import dev.exitrl.policy.training.TrainingSample;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** {@code bench-train}: GRPO step throughput and memory on random weights of a given shape. */
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
        long seed = PolicyCli.intOption(opts, "seed", 0, 0, Integer.MAX_VALUE);
        ModelConfig sized = Bench.withPositions(config, seqLen);
        try (CausalLm model = CausalLm.random(sized, device, DataType.FLOAT32, seed);
                PolicyTrainer trainer =
                        new PolicyTrainer(model, GrpoConfig.defaults(1e-6).withMicroBatchSize(micro))) {
            List<List<TrainingSample>> groups = randomGroups(config, batch, seqLen, seed);
            trainer.grpoStep(groups); // warm-up
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                trainer.grpoStep(groups);
            }
            double perStep = (System.nanoTime() - t0) / 1e9 / steps;
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("device", device.toString());
            result.put("parameters", model.parameterCount());
            result.put("batch", batch);
            result.put("seq_len", seqLen);
            result.put("micro_batch", micro);
            result.put("tokens_per_s", batch * (double) seqLen / perStep);
            result.put("s_per_step", perStep);
            result.put("peak_rss_mb", Bench.peakRssMb());
            if (device.isGpu()) {
                result.put("gpu_memory_used_mb", CudaUtils.getGpuMemory(device).getCommitted() / (1024.0 * 1024.0));
            }
            return result;
        }
    }
}
