package dev.exitrl.policy.cli;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import ai.djl.util.cuda.CudaUtils;
import dev.exitrl.policy.Devices;
import dev.exitrl.policy.MemoryCensus;
import dev.exitrl.policy.model.CausalLm;
import dev.exitrl.policy.model.ModelConfig;
import dev.exitrl.policy.sampling.Generator;
import dev.exitrl.policy.sampling.OpProfile;
import dev.exitrl.policy.sampling.SamplingParams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import tools.jackson.databind.json.JsonMapper;

/**
 * Throughput of the sampler and the trainer on random weights of a given shape, so they compare with other stacks
 * on the same shapes. Not a test: numbers depend on the machine.
 */
public final class Bench {

    private Bench() {}

    /** Reads an HF {@code config.json} (file or directory). */
    static ModelConfig config(Map<String, String> opts) throws IOException {
        Path p = Path.of(PolicyCli.required(opts, "config"));
        Path file = Files.isDirectory(p) ? p.resolve("config.json") : p;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--config: no config.json at " + p);
        }
        return ModelConfig.parse(JsonMapper.builder().build().readTree(Files.readString(file)));
    }

    /** Random prompts of exactly {@code length} ids, avoiding EOS so no row stops early. */
    static List<long[]> randomPrompts(ModelConfig config, int batch, int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<long[]> out = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            long[] ids = new long[length];
            for (int i = 0; i < length; i++) {
                long id;
                do {
                    id = random.nextInt(config.vocabSize());
                } while (id == config.eosTokenId());
                ids[i] = id;
            }
            out.add(ids);
        }
        return out;
    }

    /** Generation result of one run. */
    record GenerationRun(double seconds, double prefillSeconds, int newTokens) {
        double msPerDecodeStep() {
            return newTokens > 1 ? (seconds - prefillSeconds) * 1000 / (newTokens - 1) : Double.NaN;
        }
    }

    /** Times prefill (one new token) and the full generation; sampling at temperature 1 with EOS ignored. */
    static GenerationRun timeGeneration(
            Generator generator, List<long[]> prompts, int newTokens, boolean cache, long seed) {
        SamplingParams one = new SamplingParams(1, 1.0, 1.0, 0, List.of(), false, seed);
        SamplingParams all = new SamplingParams(newTokens, 1.0, 1.0, 0, List.of(), false, seed);
        long t0 = System.nanoTime();
        run(generator, prompts, one, cache);
        long t1 = System.nanoTime();
        run(generator, prompts, all, cache);
        long t2 = System.nanoTime();
        return new GenerationRun((t2 - t1) / 1e9, (t1 - t0) / 1e9, newTokens);
    }

    private static void run(Generator g, List<long[]> prompts, SamplingParams p, boolean cache) {
        if (cache) {
            g.generate(prompts, p);
        } else {
            g.generateWithoutCache(prompts, p);
        }
    }

    static Map<String, Object> generation(Map<String, String> opts) throws IOException {
        ModelConfig config = config(opts);
        Device device = Devices.resolve(opts.getOrDefault("device", "auto"));
        DataType dtype = Devices.dtype(opts.getOrDefault("dtype", "fp32"), device);
        int batch = PolicyCli.intOption(opts, "batch", 64, 1, 4096);
        int promptLen = PolicyCli.intOption(opts, "prompt-len", 128, 1, 1 << 16);
        int newTokens = PolicyCli.intOption(opts, "new-tokens", 256, 1, 1 << 16);
        long seed = PolicyCli.intOption(opts, "seed", 0, 0, Integer.MAX_VALUE);
        String mode = opts.getOrDefault("mode", "cache");
        if (!List.of("cache", "recompute", "both").contains(mode)) {
            throw new IllegalArgumentException("--mode must be one of cache, recompute, both; got '" + mode + "'");
        }
        ModelConfig sized = config.withAtLeastPositions(promptLen + newTokens);
        double rssBeforeModel = ProcessMemory.rssMb();
        try (CausalLm model = CausalLm.random(sized, device, dtype, seed)) {
            Generator generator = new Generator(model, null);
            List<long[]> prompts = randomPrompts(config, batch, promptLen, seed);
            // Warm-up: first calls pay for lazy initialisation (kernels, allocator pools).
            timeGeneration(generator, prompts, Math.min(4, newTokens), !mode.equals("recompute"), seed);
            int modelArrays = MemoryCensus.of(model.manager()).arrays();
            boolean peakReset = ProcessMemory.resetPeak(); // measure the timed runs, not model loading
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("device", device.toString());
            result.put("dtype", dtype.toString().toLowerCase());
            result.put("parameters", model.parameterCount());
            result.put("batch", batch);
            result.put("prompt_len", promptLen);
            result.put("new_tokens", newTokens);
            for (String m : mode.equals("both") ? List.of("cache", "recompute") : List.of(mode)) {
                GenerationRun r = timeGeneration(generator, prompts, newTokens, m.equals("cache"), seed + 1);
                String prefix = mode.equals("both") ? m + "_" : "";
                result.put(prefix + "tokens_per_s", batch * (double) newTokens / r.seconds());
                result.put(prefix + "ms_per_decode_step", r.msPerDecodeStep());
                result.put(prefix + "prefill_ms", r.prefillSeconds() * 1000);
                result.put(prefix + "seconds", r.seconds());
            }
            SamplingBudget budget =
                    SamplingBudget.of(sized, model.parameterCount(), dtype, batch, promptLen, newTokens);
            putMemory(result, device, budget.total(), budget.partsMb(), rssBeforeModel, peakReset);
            // Arrays left attached to the model's manager tree after the runs: anything above the weights' count is
            // a leak.
            result.put("live_arrays_model_before", modelArrays);
            result.put(
                    "live_arrays_model_after", MemoryCensus.of(model.manager()).arrays());
            // Profiler op counts with the timed runs' params, after the timings and the memory figures so they do
            // not perturb them.
            double[] ops = OpProfile.decodeOps(model, new SamplingParams(newTokens, 1, 1, 0, List.of(), false, seed));
            result.put("ops_per_decode_step", ops[0]);
            result.put("ops_per_layer_per_decode_step", ops[1]);
            return result;
        }
    }

    /**
     * Adds the bench output contract's memory fields: {@code budget_mb}, {@code budget} (parts), {@code
     * memory_used_mb}, {@code memory_measure} and {@code memory_over_budget}. On a GPU the figure is the device
     * memory in use (CUDA's free/total: it includes the CUDA context and the caching allocator's reserve); on a CPU
     * it is the peak resident set of the timed runs minus the resident set before the model was built.
     */
    static void putMemory(
            Map<String, Object> result,
            Device device,
            long budgetBytes,
            Map<String, Double> parts,
            double rssBeforeModelMb,
            boolean peakReset) {
        double used;
        String measure;
        if (device.isGpu()) {
            used = CudaUtils.getGpuMemory(device).getCommitted() / (1024.0 * 1024.0);
            measure = "gpu: device memory in use (includes the CUDA context and allocator cache)";
        } else {
            used = ProcessMemory.peakRssMb() - rssBeforeModelMb;
            measure = "cpu: peak RSS " + (peakReset ? "of the timed runs" : "since start (peak reset refused)")
                    + " minus RSS before the model was built";
        }
        double budgetMb = SamplingBudget.mb(budgetBytes);
        result.put("budget_mb", budgetMb);
        result.put("budget", parts);
        result.put("memory_used_mb", used);
        result.put("memory_measure", measure);
        result.put("memory_over_budget", used / budgetMb);
        result.put("peak_rss_mb", ProcessMemory.peakRssMb());
    }
}
