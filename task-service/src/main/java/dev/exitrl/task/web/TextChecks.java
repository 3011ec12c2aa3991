package dev.exitrl.task.web;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Finds text that PostgreSQL cannot store: U+0000 is valid JSON ({@code "\u0000"}) and valid Java, but neither a
 * {@code text} nor a {@code jsonb} value may hold it. Walks a request (records, lists, maps, arrays, JSON trees) and
 * names every field that has one, so the request is refused with a 400 before anything is written.
 */
public final class TextChecks {
    private static final int MAX_DEPTH = 64;

    private TextChecks() {}

    /** Throws {@link InvalidRequestException} naming each field of {@code value} that holds U+0000. */
    public static void requireStorable(Object value, String root) {
        var errors = new ArrayList<FieldError>();
        walk(value, root, errors, 0);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
    }

    private static void walk(Object value, String path, List<FieldError> errors, int depth) {
        if (value == null || depth > MAX_DEPTH) {
            return;
        }
        if (value instanceof CharSequence text) {
            if (text.toString().indexOf('\u0000') >= 0) {
                errors.add(new FieldError(path, "must not contain the NUL character (U+0000)"));
            }
        } else if (value instanceof JsonNode node) {
            walkJson(node, path, errors, depth);
        } else if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", errors, depth + 1);
            }
        } else if (value instanceof Map<?, ?> map) {
            for (var entry : map.entrySet()) {
                walk(entry.getKey(), path, errors, depth + 1);
                walk(entry.getValue(), join(path, String.valueOf(entry.getKey())), errors, depth + 1);
            }
        } else if (value.getClass().isArray()
                && !value.getClass().getComponentType().isPrimitive()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                walk(Array.get(value, i), path + "[" + i + "]", errors, depth + 1);
            }
        } else if (value.getClass().isRecord()) {
            for (RecordComponent component : value.getClass().getRecordComponents()) {
                try {
                    walk(component.getAccessor().invoke(value), join(path, component.getName()), errors, depth + 1);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + component, e);
                }
            }
        }
    }

    private static void walkJson(JsonNode node, String path, List<FieldError> errors, int depth) {
        if (depth > MAX_DEPTH) {
            return;
        }
        if (node.isString()) {
            walk(node.asString(), path, errors, depth);
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walkJson(node.get(i), path + "[" + i + "]", errors, depth + 1);
            }
        } else if (node.isObject()) {
            for (var name : node.propertyNames()) {
                walk(name, path, errors, depth + 1);
                walkJson(node.get(name), join(path, name), errors, depth + 1);
            }
        }
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
