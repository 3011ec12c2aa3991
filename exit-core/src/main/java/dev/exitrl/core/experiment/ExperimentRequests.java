package dev.exitrl.core.experiment;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a (possibly partial) experiment request: {@code domain} and {@code preset} are required, every other
 * field of {@link ExperimentConfig} is optional and overrides {@link ExperimentConfig#defaults}. Every
 * problem (unknown field, wrong JSON type, null for a number, unknown enum id, broken range rule) comes back
 * as a {@link Violation}; nothing is thrown for bad input.
 *
 * <p>Why: Jackson 3 refuses a record with missing primitive fields ({@code FAIL_ON_NULL_FOR_PRIMITIVES} is
 * on by default), and silently coercing {@code 2.5} or {@code "8"} to an int would hide user mistakes, so
 * types are checked strictly here (whole numbers for ints, JSON numbers for doubles, booleans, strings).
 */
public final class ExperimentRequests {
    /** The config (null when the request could not be read at all) and every violation found. */
    public record Result(ExperimentConfig config, List<Violation> violations) {
        public Result {
            violations = List.copyOf(violations);
        }

        public boolean isValid() {
            return config != null && violations.isEmpty();
        }
    }

    private static final Map<String, RecordComponent> FIELDS = new LinkedHashMap<>();

    static {
        for (RecordComponent c : ExperimentConfig.class.getRecordComponents()) {
            FIELDS.put(c.getName(), c);
        }
    }

    private ExperimentRequests() {}

    public static Result read(ObjectMapper mapper, JsonNode request) {
        var violations = new ArrayList<Violation>();
        if (request == null || !request.isObject()) {
            return new Result(null, List.of(new Violation("", "the request must be a JSON object")));
        }
        String domain = null;
        JsonNode domainNode = request.get("domain");
        if (domainNode == null
                || !domainNode.isString()
                || domainNode.stringValue().isBlank()) {
            violations.add(new Violation("domain", "is required (non-blank text)"));
        } else {
            domain = domainNode.stringValue();
        }
        Preset preset = null;
        JsonNode presetNode = request.get("preset");
        if (presetNode == null || !presetNode.isString()) {
            violations.add(new Violation("preset", "is required, one of grpo, curriculum, improve, diverge, exit"));
        } else {
            try {
                preset = Preset.fromId(presetNode.stringValue());
            } catch (IllegalArgumentException e) {
                violations.add(new Violation("preset", e.getMessage()));
            }
        }
        if (!violations.isEmpty()) {
            return new Result(null, violations);
        }

        ObjectNode tree = mapper.valueToTree(ExperimentConfig.defaults(domain, preset));
        for (Map.Entry<String, JsonNode> field : request.properties()) {
            String name = field.getKey();
            RecordComponent component = FIELDS.get(name);
            if (component == null) {
                violations.add(new Violation(
                        name, "is not an experiment field; allowed: " + String.join(", ", FIELDS.keySet())));
                continue;
            }
            String problem = typeProblem(mapper, component, field.getValue());
            if (problem != null) {
                violations.add(new Violation(name, problem));
            } else {
                tree.set(name, field.getValue());
            }
        }
        if (!violations.isEmpty()) {
            return new Result(null, violations);
        }

        ExperimentConfig config = mapper.treeToValue(tree, ExperimentConfig.class);
        return new Result(config, config.validate());
    }

    /** Null when {@code value} fits the component's type, else a message. */
    private static String typeProblem(ObjectMapper mapper, RecordComponent component, JsonNode value) {
        Class<?> type = component.getType();
        if (type == int.class) {
            return value.isIntegralNumber() && value.canConvertToInt()
                    ? null
                    : "must be a whole number (32-bit), was " + value;
        }
        if (type == long.class) {
            return value.isIntegralNumber() && value.canConvertToLong()
                    ? null
                    : "must be a whole number (64-bit), was " + value;
        }
        if (type == double.class) {
            return value.isNumber() ? null : "must be a number, was " + value;
        }
        if (type == boolean.class) {
            return value.isBoolean() ? null : "must be true or false, was " + value;
        }
        if (type == Integer.class) {
            // Optional budgets: null means none.
            return value.isNull() || (value.isIntegralNumber() && value.canConvertToInt())
                    ? null
                    : "must be a whole number (32-bit) or null, was " + value;
        }
        if (type == Long.class) {
            return value.isNull() || (value.isIntegralNumber() && value.canConvertToLong())
                    ? null
                    : "must be a whole number (64-bit) or null, was " + value;
        }
        if (type == Boolean.class) {
            // Optional switches: null keeps the default the switch documents.
            return value.isBoolean() || value.isNull() ? null : "must be true, false or null, was " + value;
        }
        if (value.isNull()) {
            return null; // validate() reports required fields; a null reward mode means the domain default
        }
        if (type == String.class) {
            return value.isString() ? null : "must be text, was " + value;
        }
        if (type.isEnum()) {
            if (!value.isString()) {
                return "must be text, was " + value;
            }
            try {
                mapper.treeToValue(value, type);
                return null;
            } catch (JacksonException e) {
                for (Throwable t = e; t != null; t = t.getCause()) {
                    if (t instanceof IllegalArgumentException) {
                        return t.getMessage();
                    }
                }
                return "is not an allowed value, was " + value;
            }
        }
        throw new IllegalStateException("no type rule for field " + component.getName() + " of type " + type);
    }
}
