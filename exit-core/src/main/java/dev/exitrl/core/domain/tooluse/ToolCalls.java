package dev.exitrl.core.domain.tooluse;

import dev.exitrl.core.domain.TaskJson;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The response format of the tool-use domain. A model message holds zero or more call blocks
 * {@code <tool_call>JSON</tool_call>}, where the JSON is one call {@code {"name": f, "arguments": {...}}} or a list of
 * them. Each block is one step. A message ends the user turn when it contains the marker {@code <turn_done>} (text
 * after the marker is ignored) or contains no call block at all (a plain answer to the user, as in BFCL, where a
 * turn ends when the model's output has no function call). Text outside blocks is free reasoning.
 */
final class ToolCalls {
    static final String OPEN = "<tool_call>";
    static final String CLOSE = "</tool_call>";
    static final String TURN_DONE = "<turn_done>";

    /** One call block: its calls, or why it could not be read (then {@code calls} is empty). */
    record Block(String source, List<JsonNode> calls, String error) {
        Block {
            calls = List.copyOf(calls);
        }
    }

    /** A model message: its call blocks in order, whether it ends the turn, and the text kept for the transcript. */
    record Message(String kept, List<Block> blocks, boolean endsTurn) {
        Message {
            blocks = List.copyOf(blocks);
        }
    }

    private ToolCalls() {}

    static Message parse(String message) {
        String text = message == null ? "" : message;
        int marker = text.indexOf(TURN_DONE);
        String kept = marker >= 0 ? text.substring(0, marker) : text;
        List<Block> blocks = blocks(kept);
        return new Message(kept, blocks, marker >= 0 || blocks.isEmpty());
    }

    /** Every call block of {@code text}, in order; an unclosed block runs to the end of the text. */
    static List<Block> blocks(String text) {
        List<Block> blocks = new ArrayList<>();
        int from = 0;
        while (true) {
            int open = text.indexOf(OPEN, from);
            if (open < 0) {
                return blocks;
            }
            int start = open + OPEN.length();
            int close = text.indexOf(CLOSE, start);
            String body = close < 0 ? text.substring(start) : text.substring(start, close);
            blocks.add(
                    close < 0 ? new Block(body, List.of(), "the call block is not closed with " + CLOSE) : read(body));
            if (close < 0) {
                return blocks;
            }
            from = close + CLOSE.length();
        }
    }

    private static Block read(String body) {
        JsonNode json;
        try {
            json = TaskJson.mapper().readTree(body);
        } catch (JacksonException e) {
            return new Block(body, List.of(), "invalid JSON in the call block: " + e.getOriginalMessage());
        }
        if (json == null || json.isMissingNode()) {
            return new Block(body, List.of(), "the call block is empty");
        }
        if (json.isObject()) {
            return new Block(body, List.of(json), null);
        }
        if (json.isArray() && !json.isEmpty()) {
            List<JsonNode> calls = new ArrayList<>();
            for (JsonNode c : json) {
                if (!c.isObject()) {
                    return new Block(body, List.of(), "every call in a list must be a JSON object");
                }
                calls.add(c);
            }
            return new Block(body, calls, null);
        }
        return new Block(body, List.of(), "the call block must hold a JSON object or a non-empty list of them");
    }

    /** A call as the model writes it. */
    static String render(JsonNode call) {
        return OPEN + call + CLOSE;
    }

    /** A call object {@code {"name": name, "arguments": args}}. */
    static JsonNode call(String name, JsonNode arguments) {
        var node = TaskJson.mapper().createObjectNode();
        node.put("name", name);
        node.set("arguments", arguments == null ? TaskJson.mapper().createObjectNode() : arguments);
        return node;
    }
}
