package dev.exitrl.policy.cli;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.exitrl.policy.Devices;
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
        ModelConfig sized = withPositions(config, promptLen + newTokens);
        try (CausalLm model = CausalLm.random(sized, device, dtype, seed)) {
            Generator generator = new Generator(model, null);
            List<long[]> prompts = randomPrompts(config, batch, promptLen, seed);
            // Warm-up: first calls pay for lazy initialisation (kernels, allocator pools).
            timeGeneration(generator, prompts, Math.min(4, newTokens), !mode.equals("recompute"), seed);
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
            result.put("peak_rss_mb", peakRssMb());
            // Profiler op counts with the timed runs' params, after the timings so they do not perturb them.
            double[] ops = OpProfile.decodeOps(model, new SamplingParams(newTokens, 1, 1, 0, List.of(), false, seed));
            result.put("ops_per_decode_step", ops[0]);
            result.put("ops_per_layer_per_decode_step", ops[1]);
            return result;
        }
    }

    /** The same shape with a rotary table long enough for the benchmark. */
    static ModelConfig withPositions(ModelConfig c, int needed) {
        int positions = Math.max(c.maxPositionEmbeddings(), needed);
        return new ModelConfig(
                c.architecture(),
                c.vocabSize(),
                c.hiddenSize(),
                c.intermediateSize(),
                c.numLayers(),
                c.numHeads(),
                c.numKvHeads(),
                c.headDim(),
                c.ropeTheta(),
                c.rmsNormEps(),
                c.attentionBias(),
                c.tieWordEmbeddings(),
                positions,
                c.bosTokenId(),
                c.eosTokenId(),
                c.padTokenId());
    }

    /** Peak resident set of this process (VmHWM), or -1 where /proc is missing. */
    static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc on this system: report -1 below
        }
        return -1;
    }
}
