package dev.exitrl.core.domain.tooluse;

import dev.exitrl.core.domain.TaskJson;
import java.util.Collection;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Tool results as compact JSON text: one object with the given keys and values, in order. */
final class Results {
    private Results() {}

    static String of(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values come in pairs");
        }
        ObjectNode node = TaskJson.mapper().createObjectNode();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            put(node, (String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return node.toString();
    }

    static String error(String message) {
        return of("error", message);
    }

    private static void put(ObjectNode node, String key, Object value) {
        if (value == null) {
            node.putNull(key);
        } else if (value instanceof String s) {
            node.put(key, s);
        } else if (value instanceof Integer i) {
            node.put(key, i);
        } else if (value instanceof Boolean b) {
            node.put(key, b);
        } else if (value instanceof JsonNode j) {
            node.set(key, j);
        } else if (value instanceof Collection<?> c) {
            ArrayNode array = node.putArray(key);
            for (Object o : c) {
                if (o instanceof JsonNode j) {
                    array.add(j);
                } else {
                    array.add(String.valueOf(o));
                }
            }
        } else {
            throw new IllegalArgumentException("unsupported result value " + value.getClass());
        }
    }
}
