package dev.exitrl.core.domain.tooluse;

import dev.exitrl.core.domain.BaseTask;
import dev.exitrl.core.domain.TaskJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A tool-use task as stored in {@link BaseTask#data()}:
 *
 * <pre>
 * {"modules": ["filesystem", "messaging"],
 *  "scenario": {"filesystem": {...}, "messaging": {...}},      initial state of every module
 *  "context": "Your home directory is /alex ...",               what the user tells the model up front
 *  "turns": [{"request": "...", "calls": [{"name": f, "arguments": {...}}, ...]}, ...],
 *  "withheld": {"function": "cp", "available_from_turn": 1},    optional: the missed-function variant
 *  "difficulty": 3}
 * </pre>
 *
 * A withheld function is unknown to the environment and absent from the prompt's function list before turn
 * {@code available_from_turn} (0-based); the turn that then announces it has the ground-truth calls, the turn before
 * it has none (the model should not be able to do it).
 */
record ToolUseTask(
        List<String> modules,
        ObjectNode scenario,
        String context,
        List<UserTurn> turns,
        Withheld withheld,
        int difficulty) {

    record UserTurn(String request, List<JsonNode> calls) {
        UserTurn {
            calls = List.copyOf(calls);
        }
    }

    record Withheld(String function, int availableFromTurn) {}

    ToolUseTask {
        modules = List.copyOf(modules);
        turns = List.copyOf(turns);
        if (turns.isEmpty()) {
            throw new IllegalArgumentException("a tool-use task has at least one user turn");
        }
    }

    /** Functions the environment refuses (as unknown) during turn {@code turn} (0-based). */
    Set<String> hiddenAt(int turn) {
        return withheld != null && turn < withheld.availableFromTurn() ? Set.of(withheld.function()) : Set.of();
    }

    /** The functions the model may call during {@code turn}, with their schemas. */
    List<ToolFunction> functionsAt(int turn) {
        Set<String> hidden = hiddenAt(turn);
        return ToolEnvironment.functionsOf(modules).stream()
                .filter(f -> !hidden.contains(f.name()))
                .toList();
    }

    ToolEnvironment newEnvironment() {
        return new ToolEnvironment(scenario);
    }

    /** The ground-truth calls of {@code turn} as a transcript: one call block per step, then the end marker. */
    String groundTruthTranscript(int turn) {
        StringBuilder t = new StringBuilder();
        for (JsonNode call : turns.get(turn).calls()) {
            t.append(ToolCalls.render(call)).append('\n');
        }
        return t.append("Done.").toString();
    }

    ObjectNode payload() {
        ObjectNode data = TaskJson.mapper().createObjectNode();
        ArrayNode m = data.putArray("modules");
        modules.forEach(m::add);
        data.set("scenario", scenario.deepCopy());
        data.put("context", context);
        ArrayNode ts = data.putArray("turns");
        for (UserTurn turn : turns) {
            ObjectNode t = ts.addObject();
            t.put("request", turn.request());
            ArrayNode calls = t.putArray("calls");
            turn.calls().forEach(calls::add);
        }
        if (withheld != null) {
            ObjectNode w = data.putObject("withheld");
            w.put("function", withheld.function());
            w.put("available_from_turn", withheld.availableFromTurn());
        }
        data.put("difficulty", difficulty);
        return data;
    }

    static ToolUseTask read(BaseTask task) {
        JsonNode data = task.data();
        try {
            List<String> modules = new ArrayList<>();
            data.get("modules").forEach(n -> modules.add(n.asString()));
            List<UserTurn> turns = new ArrayList<>();
            for (JsonNode t : data.get("turns")) {
                List<JsonNode> calls = new ArrayList<>();
                t.get("calls").forEach(calls::add);
                turns.add(new UserTurn(t.get("request").asString(), calls));
            }
            JsonNode w = data.get("withheld");
            Withheld withheld = w == null || w.isNull()
                    ? null
                    : new Withheld(
                            w.get("function").asString(),
                            w.get("available_from_turn").asInt());
            return new ToolUseTask(
                    modules,
                    (ObjectNode) data.get("scenario"),
                    data.path("context").asString(""),
                    turns,
                    withheld,
                    data.path("difficulty").asInt(1));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("tool-use task " + task.id() + " has a malformed payload: " + e, e);
        }
    }
}
