package dev.exitrl.policy.cli;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.exitrl.policy.Devices;
import dev.exitrl.policy.Policy;
import dev.exitrl.policy.sampling.Generation;
import dev.exitrl.policy.sampling.SamplingParams;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code java -jar exit-policy.jar inspect|bench|bench-train ...}: sanity-check a checkpoint and measure the
 * sampler and trainer. Each command prints one JSON object on standard output.
 */
public final class PolicyCli {

    static final String USAGE = """
        usage:
          inspect --model DIR --text TEXT [--max-new-tokens N] [--device auto|cpu|gpu]
          (every command also takes --threads N: libtorch intra-op CPU threads)
          bench --config CONFIG_JSON [--device auto|cpu|gpu] [--dtype fp32|fp16] [--batch B] [--prompt-len P]
                [--new-tokens N] [--mode cache|recompute|both] [--seed S]
          bench-train --config CONFIG_JSON [--device auto|cpu|gpu] [--batch B] [--seq-len T] [--micro-batch M]
                [--steps K] [--bucket N] [--precision fp32|fp16] [--seed S]
        """;

    private PolicyCli() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command; returns the process exit code (2 for bad usage, 1 for failures). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            err.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        try {
            Map<String, String> opts = options(args);
            if (opts.containsKey("threads")) {
                // Read by DJL when the engine starts, so it must be set before the first NDArray.
                int threads = intOption(opts, "threads", 1, 1, 1024);
                System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
                System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
            }
            Object result = switch (args[0]) {
                case "inspect" -> inspect(opts);
                case "bench" -> Bench.generation(opts);
                case "bench-train" -> TrainingBench.training(opts);
                default -> throw new IllegalArgumentException("unknown command '" + args[0] + "'");
            };
            out.println(JsonMapper.builder().build().writeValueAsString(result));
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.print(USAGE);
            return 2;
        } catch (Exception e) {
            err.println("error: " + e);
            return 1;
        }
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String key = args[i];
            if (!key.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option VALUE pairs, got '" + key + "'");
            }
            opts.put(key.substring(2), args[++i]);
        }
        return opts;
    }

    static String required(Map<String, String> opts, String key) {
        String v = opts.get(key);
        if (v == null) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return v;
    }

    static int intOption(Map<String, String> opts, String key, int fallback, int min, int max) {
        String v = opts.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new IllegalArgumentException("--" + key + " must be in [" + min + ", " + max + "], got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be an integer, got '" + v + "'");
        }
    }

    static Map<String, Object> inspect(Map<String, String> opts) throws Exception {
        Path dir = Path.of(required(opts, "model"));
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--model must be a checkpoint directory, got " + dir);
        }
        String text = required(opts, "text");
        int newTokens = intOption(opts, "max-new-tokens", 8, 0, 4096);
        Device device = Devices.resolve(opts.getOrDefault("device", "cpu"));
        try (Policy policy = Policy.load(dir, device, DataType.FLOAT32)) {
            long[] ids = policy.tokenizer().encode(text);
            if (ids.length == 0) {
                throw new IllegalArgumentException("--text encodes to no tokens");
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("input_ids", ids);
            result.put("logits", policy.logits(ids));
            float[] logProbs = ids.length < 2
                    ? new float[0]
                    : policy.tokenLogProbs(
                                    List.of(new long[] {ids[0]}), List.of(Arrays.copyOfRange(ids, 1, ids.length)))
                            .get(0);
            result.put("token_logprobs", logProbs);
            long[] greedy = new long[0];
            if (newTokens > 0) {
                Generation g = policy.generateIds(
                                List.of(ids), SamplingParams.greedy(newTokens).withStopAtEos(false))
                        .get(0);
                greedy = g.tokenIds();
            }
            result.put("greedy_continuation", greedy);
            return result;
        }
    }
}
