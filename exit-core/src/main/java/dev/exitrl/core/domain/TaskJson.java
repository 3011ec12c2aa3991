package dev.exitrl.core.domain;

import dev.exitrl.core.task.BaseTaskRef;
import dev.exitrl.core.task.History;
import dev.exitrl.core.task.TaskInstance;
import dev.exitrl.core.task.Turn;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON form of base tasks, histories and task instances, as stored (JSONB) and sent over REST. The format is
 * written out field by field, so it does not change when a record gains a helper method:
 *
 * <pre>
 * base task: {"domain":"math","id":"math-1f..","split":"train","problem":"...","data":{...}}
 * history:   {"turns":[{"response":"...","iterate":1,"feedback":"..."}]}   (feedback omitted when null)
 * instance:  {"task":{"domain":"math","taskId":"math-1f.."},"depth":1,"history":{...}}
 * </pre>
 *
 * Malformed input raises {@link IllegalArgumentException} naming the field.
 */
public final class TaskJson {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private TaskJson() {}

    /** The shared mapper (thread-safe) for code that builds task payloads. */
    public static JsonMapper mapper() {
        return MAPPER;
    }

    public static ObjectNode toTree(BaseTask task) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("domain", task.domain());
        node.put("id", task.id());
        node.put("split", task.split().jsonName());
        node.put("problem", task.problem());
        node.set("data", task.data().deepCopy());
        return node;
    }

    public static String toJson(BaseTask task) {
        return MAPPER.writeValueAsString(toTree(task));
    }

    public static BaseTask baseTaskFromTree(JsonNode node) {
        requireObject(node, "base task");
        return new BaseTask(
                text(node, "domain"),
                text(node, "id"),
                Split.fromJsonName(text(node, "split")),
                text(node, "problem"),
                node.get("data"));
    }

    public static BaseTask baseTaskFromJson(String json) {
        return baseTaskFromTree(parse(json));
    }

    public static ObjectNode toTree(History history) {
        ObjectNode node = MAPPER.createObjectNode();
        ArrayNode turns = node.putArray("turns");
        for (Turn turn : history.turns()) {
            ObjectNode t = turns.addObject();
            t.put("response", turn.response());
            t.put("iterate", turn.iterate());
            if (turn.feedback() != null) {
                t.put("feedback", turn.feedback());
            }
        }
        return node;
    }

    public static String toJson(History history) {
        return MAPPER.writeValueAsString(toTree(history));
    }

    public static History historyFromTree(JsonNode node) {
        requireObject(node, "history");
        JsonNode turns = node.get("turns");
        if (turns == null || !turns.isArray()) {
            throw new IllegalArgumentException("history.turns must be an array");
        }
        List<Turn> list = new ArrayList<>();
        for (int i = 0; i < turns.size(); i++) {
            JsonNode t = turns.get(i);
            requireObject(t, "history.turns[" + i + "]");
            JsonNode iterate = t.get("iterate");
            if (iterate == null || !iterate.canConvertToExactIntegral() || iterate.asInt() < 1) {
                throw new IllegalArgumentException("history.turns[" + i + "].iterate must be an integer >= 1");
            }
            JsonNode feedback = t.get("feedback");
            String fb = feedback == null || feedback.isNull() ? null : feedback.asString();
            list.add(new Turn(text(t, "response"), iterate.asInt(), fb));
        }
        return new History(list);
    }

    public static History historyFromJson(String json) {
        return historyFromTree(parse(json));
    }

    public static ObjectNode toTree(TaskInstance instance) {
        ObjectNode node = MAPPER.createObjectNode();
        ObjectNode task = node.putObject("task");
        task.put("domain", instance.task().domain());
        task.put("taskId", instance.task().taskId());
        node.put("depth", instance.depth());
        node.set("history", toTree(instance.history()));
        return node;
    }

    public static String toJson(TaskInstance instance) {
        return MAPPER.writeValueAsString(toTree(instance));
    }

    public static TaskInstance instanceFromJson(String json) {
        JsonNode node = parse(json);
        requireObject(node, "task instance");
        JsonNode task = node.get("task");
        requireObject(task, "task");
        JsonNode depth = node.get("depth");
        if (depth == null || !depth.canConvertToExactIntegral()) {
            throw new IllegalArgumentException("depth must be an integer >= 0");
        }
        return new TaskInstance(
                new BaseTaskRef(text(task, "domain"), text(task, "taskId")),
                depth.asInt(),
                historyFromTree(node.get("history")));
    }

    private static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static void requireObject(JsonNode node, String what) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(what + " must be a JSON object");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isString()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return value.stringValue();
    }
}
