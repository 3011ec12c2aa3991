package dev.exitrl.policy.sampling;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
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
    public static List<Op> record(Device device, Runnable work) {
        Path trace;
        try {
            trace = Files.createTempFile("exit-policy-ops", ".json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            JniUtils.startProfile(device.isGpu(), true, false);
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
