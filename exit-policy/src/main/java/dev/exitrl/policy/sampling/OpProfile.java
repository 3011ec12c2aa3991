package dev.exitrl.policy.sampling;

import ai.djl.pytorch.jni.JniUtils;
import dev.exitrl.policy.model.CausalLm;
import dev.exitrl.policy.model.ModelConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Counts the ATen operations a piece of work issues, with the PyTorch profiler DJL exposes
 * ({@code JniUtils.startProfile} / {@code stopProfile}, a chrome-trace JSON with op names and input shapes).
 *
 * <p>An op counts when the profiler records it at top level, i.e. not inside another recorded op on the same thread:
 * those are the calls DJL makes (a matMul is one op however many kernels it runs inside). Views (reshape, get,
 * transpose) are ops too: each is a dispatch the host pays for, though no kernel runs. The profiler is global to
 * the engine, so profile one thing at a time.
 */
public final class OpProfile {

    /** One top-level op: its name and the shapes of its inputs as the profiler printed them. */
    public record Op(String name, String shapes) {}

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private OpProfile() {}

    /** The top-level ops {@code work} issued, in the order they started. */
    public static List<Op> record(Runnable work) {
        Path trace;
        try {
            trace = Files.createTempFile("exit-policy-ops", ".json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            // CPU-side events only, also on a GPU: each top-level ATen op is one dispatch by the host, which is what
            // bounds a small decode step; the CUDA activity tracer is not needed for that and may be absent.
            JniUtils.startProfile(false, true, false);
            try {
                work.run();
            } finally {
                JniUtils.stopProfile(trace.toString());
            }
            return topLevel(JSON.readTree(Files.readString(trace)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(trace);
            } catch (IOException e) {
                // a temp file left behind is harmless
            }
        }
    }

    /**
     * Ops per decode step of a generation: {@code (ops(n2) - ops(n1)) / (n2 - n1)} over two generations of the same
     * prompts, so prefill and the final downloads cancel and the periodic id downloads are spread over the steps.
     */
    public static double perDecodeStep(CausalLm model, List<long[]> prompts, SamplingParams params, int n1, int n2) {
        Generator generator = new Generator(model, null);
        generator.generate(prompts, withTokens(params, n1)); // warm-up: lazy initialisation issues ops of its own
        int a = record(() -> generator.generate(prompts, withTokens(params, n1)))
                .size();
        int b = record(() -> generator.generate(prompts, withTokens(params, n2)))
                .size();
        return (b - a) / (double) (n2 - n1);
    }

    /**
     * Ops per decode step of {@code model} and per decoder layer, the latter from a random model of the same shape
     * with one layer: {@code perLayer = (ops(L) - ops(1)) / (L - 1)}. The op count does not depend on batch size or
     * lengths, so two short prompts suffice. Run it outside timed code: profiling slows the ops down.
     *
     * @return {ops per decode step, ops per layer per decode step (NaN for a 1-layer model)}
     */
    public static double[] decodeOps(CausalLm model, SamplingParams params) {
        try {
            return countDecodeOps(model, params);
        } catch (RuntimeException e) {
            // A benchmark should still report its timings when the profiler is unavailable in a native build.
            System.err.println("op count unavailable: " + e);
            return new double[] {Double.NaN, Double.NaN};
        }
    }

    private static double[] countDecodeOps(CausalLm model, SamplingParams params) {
        ModelConfig config = model.config();
        List<long[]> prompts = List.of(new long[] {1, 2, 3, 4, 5, 6, 7, 8}, new long[] {9, 10, 11});
        double full = perDecodeStep(model, prompts, params, 4, 12);
        if (config.numLayers() < 2) {
            return new double[] {full, Double.NaN};
        }
        ModelConfig one = new ModelConfig(
                config.architecture(),
                config.vocabSize(),
                config.hiddenSize(),
                config.intermediateSize(),
                1,
                config.numHeads(),
                config.numKvHeads(),
                config.headDim(),
                config.ropeTheta(),
                config.rmsNormEps(),
                config.attentionBias(),
                config.tieWordEmbeddings(),
                config.maxPositionEmbeddings(),
                config.bosTokenId(),
                config.eosTokenId(),
                config.padTokenId());
        double single;
        try (CausalLm shallow = CausalLm.random(one, model.device(), model.dtype(), 0)) {
            single = perDecodeStep(shallow, prompts, params, 4, 12);
        }
        return new double[] {full, (full - single) / (config.numLayers() - 1)};
    }

    private static SamplingParams withTokens(SamplingParams p, int n) {
        return new SamplingParams(
                n, p.temperature(), p.topP(), p.topK(), p.stopStrings(), p.stopAtEos(), p.seed(), p.syncEvery(), 0);
    }

    /** Count of each op name, most frequent first. */
    public static Map<String, Integer> histogram(List<Op> ops) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Op op : ops) {
            counts.merge(op.name(), 1, Integer::sum);
        }
        Map<String, Integer> sorted = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    private record Event(String name, String shapes, String thread, double start, double end) {}

    /** Events of CPU functions that no other event of their thread encloses, in start order. */
    static List<Op> topLevel(JsonNode trace) {
        List<Event> events = new ArrayList<>();
        for (JsonNode e : trace) {
            if (!"X".equals(e.path("ph").asString(""))
                    || !e.path("pid").asString("").startsWith("CPU")) {
                continue;
            }
            double start = e.path("ts").asDouble();
            events.add(new Event(
                    e.path("name").asString(),
                    e.path("shape").toString(),
                    e.path("tid").toString(),
                    start,
                    start + e.path("dur").asDouble()));
        }
        // Parents start no later and end no earlier than their children: sort by start, longest first, and keep
        // an event when it ends after the enclosing top-level event of its thread.
        events.sort(Comparator.comparingDouble(Event::start)
                .thenComparing(Comparator.comparingDouble(Event::end).reversed()));
        Map<String, Deque<Double>> openEnds = new LinkedHashMap<>();
        List<Op> out = new ArrayList<>();
        for (Event e : events) {
            Deque<Double> ends = openEnds.computeIfAbsent(e.thread(), k -> new ArrayDeque<>());
            if (!ends.isEmpty() && e.end() <= ends.peek()) {
                continue; // inside the current top-level op
            }
            ends.clear();
            ends.push(e.end());
            out.add(new Op(e.name(), e.shapes()));
        }
        return out;
    }
}
