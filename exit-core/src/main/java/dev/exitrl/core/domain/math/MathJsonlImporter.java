package dev.exitrl.core.domain.math;

import dev.exitrl.core.domain.BaseTask;
import dev.exitrl.core.domain.Split;
import dev.exitrl.core.domain.TaskImportException;
import dev.exitrl.core.domain.TaskImportException.LineError;
import dev.exitrl.core.domain.TaskJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads math problems from JSON lines, one object per line: {@code problem} (string, required), {@code answer}
 * (string or number, required), {@code solution} (string), {@code level} (string or integer) and {@code subject}
 * (string) optional; other fields are ignored. This covers MATH / MATH500 as published and GSM8K once its answer
 * is cut after {@code ####}. Lines are read one at a time; every line is checked, and if any is invalid nothing is
 * returned and all bad lines are reported by number. A problem repeated with the same answer is kept once.
 */
final class MathJsonlImporter {
    private MathJsonlImporter() {}

    static List<BaseTask> read(Reader jsonLines, Split split) {
        List<BaseTask> tasks = new ArrayList<>();
        List<LineError> errors = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        BufferedReader reader = jsonLines instanceof BufferedReader b ? b : new BufferedReader(jsonLines);
        long lineNumber = 0;
        try {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    BaseTask task = parseLine(line, split);
                    if (errors.isEmpty() && seen.add(task.id())) {
                        tasks.add(task);
                    }
                } catch (IllegalArgumentException e) {
                    errors.add(new LineError(lineNumber, e.getMessage()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading JSONL failed after line " + lineNumber, e);
        }
        if (!errors.isEmpty()) {
            throw new TaskImportException(errors);
        }
        return tasks;
    }

    private static BaseTask parseLine(String line, Split split) {
        JsonNode node;
        try {
            node = TaskJson.mapper().readTree(line);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        String problem = requiredString(node, "problem");
        JsonNode answerNode = node.get("answer");
        if (answerNode == null
                || !(answerNode.isString() || answerNode.isNumber())
                || answerNode.asString().isBlank()) {
            throw new IllegalArgumentException("field 'answer' must be a non-empty string or a number");
        }
        String answer = answerNode.asString().strip();
        ObjectNode data = TaskJson.mapper().createObjectNode();
        data.put("answer", answer);
        optional(node, "solution", false).ifPresent(s -> data.put("solution", s));
        optional(node, "level", true).ifPresent(s -> data.put("level", s));
        optional(node, "subject", false).ifPresent(s -> data.put("subject", s));
        data.put("source", "import");
        return new BaseTask(
                MathDomain.ID, BaseTask.contentId(MathDomain.ID, problem + "\u0000" + answer), split, problem, data);
    }

    private static String requiredString(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isString() || value.stringValue().isBlank()) {
            throw new IllegalArgumentException("field '" + field + "' must be a non-empty string");
        }
        return value.stringValue();
    }

    private static Optional<String> optional(JsonNode node, String field, boolean integerAllowed) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (value.isString() || (integerAllowed && value.isIntegralNumber())) {
            return Optional.of(value.asString());
        }
        throw new IllegalArgumentException(
                "field '" + field + "' must be a string" + (integerAllowed ? " or an integer" : "") + " when present");
    }
}
