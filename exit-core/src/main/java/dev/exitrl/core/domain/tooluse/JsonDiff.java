package dev.exitrl.core.domain.tooluse;

import java.util.Iterator;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/** The first place where two JSON values differ, as a path ({@code filesystem.root.alex['a.txt']}), or null. */
final class JsonDiff {
    private JsonDiff() {}

    static String firstDifference(String path, JsonNode expected, JsonNode actual) {
        if (expected.equals(actual)) {
            return null;
        }
        if (expected.isObject() && actual.isObject()) {
            TreeSet<String> keys = new TreeSet<>(expected.propertyNames());
            keys.addAll(actual.propertyNames());
            for (String key : keys) {
                JsonNode e = expected.get(key);
                JsonNode a = actual.get(key);
                String p = path + (key.matches("[A-Za-z_][A-Za-z0-9_]*") ? "." + key : "['" + key + "']");
                if (e == null) {
                    return p + ": unexpected (expected absent, got " + brief(a) + ")";
                }
                if (a == null) {
                    return p + ": missing (expected " + brief(e) + ")";
                }
                String d = firstDifference(p, e, a);
                if (d != null) {
                    return d;
                }
            }
        }
        if (expected.isArray() && actual.isArray()) {
            Iterator<JsonNode> ei = expected.iterator();
            Iterator<JsonNode> ai = actual.iterator();
            for (int i = 0; ei.hasNext() && ai.hasNext(); i++) {
                String d = firstDifference(path + "[" + i + "]", ei.next(), ai.next());
                if (d != null) {
                    return d;
                }
            }
            if (expected.size() != actual.size()) {
                return path + ": expected " + expected.size() + " elements, got " + actual.size();
            }
        }
        return path + ": expected " + brief(expected) + ", got " + brief(actual);
    }

    private static String brief(JsonNode node) {
        String s = node.toString();
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
