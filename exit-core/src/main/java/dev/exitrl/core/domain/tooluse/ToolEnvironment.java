package dev.exitrl.core.domain.tooluse;

import dev.exitrl.core.domain.TaskJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One set of API instances loaded from a scenario, plus the rule that turns any call into a result string: invalid
 * JSON, unknown (or not yet available) functions, arguments that do not fit the schema and refused calls all become
 * {@code {"error": "..."}} results, never exceptions.
 */
final class ToolEnvironment {
    private final Map<String, ToolModule> modules = new LinkedHashMap<>();

    /** Loads the modules named in {@code scenario} ({@code {"filesystem": config, "messaging": config, ...}}). */
    ToolEnvironment(JsonNode scenario) {
        for (Map.Entry<String, JsonNode> e : scenario.properties()) {
            modules.put(e.getKey(), create(e.getKey(), e.getValue()));
        }
    }

    static ToolModule create(String name, JsonNode config) {
        return switch (name) {
            case FileSystemApi.NAME -> new FileSystemApi(config);
            case MessagingApi.NAME -> new MessagingApi(config);
            case TicketingApi.NAME -> new TicketingApi(config);
            default -> throw new IllegalArgumentException("unknown tool module '" + name + "'");
        };
    }

    /** Every function of every module, in module order. */
    static List<ToolFunction> functionsOf(List<String> moduleNames) {
        List<ToolFunction> out = new ArrayList<>();
        for (String name : moduleNames) {
            out.addAll(
                    switch (name) {
                        case FileSystemApi.NAME -> FileSystemApi.FUNCTIONS;
                        case MessagingApi.NAME -> MessagingApi.FUNCTIONS;
                        case TicketingApi.NAME -> TicketingApi.FUNCTIONS;
                        default -> throw new IllegalArgumentException("unknown tool module '" + name + "'");
                    });
        }
        return out;
    }

    ToolModule module(String name) {
        return modules.get(name);
    }

    /** The public state of every module: {@code {module: state}}. */
    ObjectNode state() {
        ObjectNode s = TaskJson.mapper().createObjectNode();
        modules.forEach((name, m) -> s.set(name, m.state()));
        return s;
    }

    /** Results of one call block: one per call, or one error result when the block could not be read. */
    List<String> run(ToolCalls.Block block, Set<String> hidden) {
        if (block.error() != null) {
            return List.of(Results.error(block.error()));
        }
        List<String> results = new ArrayList<>();
        for (JsonNode call : block.calls()) {
            results.add(call(call, hidden));
        }
        return results;
    }

    /** The result of one call object; functions in {@code hidden} are treated as unknown. */
    String call(JsonNode call, Set<String> hidden) {
        JsonNode name = call.get("name");
        if (name == null || !name.isString()) {
            return Results.error("a call needs a \"name\" string");
        }
        JsonNode args = call.get("arguments");
        if (args == null || args.isNull()) {
            args = TaskJson.mapper().createObjectNode();
        }
        String fn = name.stringValue();
        if (!hidden.contains(fn)) {
            for (ToolModule m : modules.values()) {
                for (ToolFunction f : m.functions()) {
                    if (f.name().equals(fn)) {
                        String problem = f.argumentProblem(args);
                        if (problem != null) {
                            return Results.error(fn + ": " + problem);
                        }
                        try {
                            return m.invoke(fn, args);
                        } catch (ToolError e) {
                            return Results.error(e.getMessage());
                        }
                    }
                }
            }
        }
        return Results.error("unknown function '" + fn + "'");
    }
}
