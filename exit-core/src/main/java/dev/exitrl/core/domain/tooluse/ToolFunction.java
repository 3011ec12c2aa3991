package dev.exitrl.core.domain.tooluse;

import dev.exitrl.core.domain.TaskJson;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One callable function of a tool module, with the JSON schema shown to the model. Argument types are checked
 * against {@link #params} before the module sees a call, so modules can read their arguments without checks.
 */
record ToolFunction(String module, String name, String description, List<Param> params) {
    enum Type {
        STRING,
        INTEGER,
        BOOLEAN;

        String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        boolean accepts(JsonNode value) {
            return switch (this) {
                case STRING -> value.isString();
                case INTEGER -> value.isIntegralNumber() && value.canConvertToInt();
                case BOOLEAN -> value.isBoolean();
            };
        }
    }

    record Param(String name, Type type, String description, boolean required) {}

    ToolFunction {
        params = List.copyOf(params);
    }

    static Param required(String name, Type type, String description) {
        return new Param(name, type, description, true);
    }

    static Param optional(String name, Type type, String description) {
        return new Param(name, type, description, false);
    }

    /** The function's schema in the common function-calling layout: name, description, JSON-schema parameters. */
    ObjectNode schema() {
        ObjectNode fn = TaskJson.mapper().createObjectNode();
        fn.put("name", name);
        fn.put("description", description);
        ObjectNode parameters = fn.putObject("parameters");
        parameters.put("type", "object");
        ObjectNode properties = parameters.putObject("properties");
        var required = parameters.putArray("required");
        for (Param p : params) {
            ObjectNode prop = properties.putObject(p.name());
            prop.put("type", p.type().jsonName());
            prop.put("description", p.description());
            if (p.required()) {
                required.add(p.name());
            }
        }
        return fn;
    }

    /** Why {@code args} does not fit the schema (unknown, missing or mistyped argument), or null when it does. */
    String argumentProblem(JsonNode args) {
        if (!args.isObject()) {
            return "arguments must be a JSON object";
        }
        for (String given : args.propertyNames()) {
            if (params.stream().noneMatch(p -> p.name().equals(given))) {
                return "unexpected argument '" + given + "'";
            }
        }
        for (Param p : params) {
            JsonNode value = args.get(p.name());
            if (value == null || value.isNull()) {
                if (p.required()) {
                    return "missing required argument '" + p.name() + "'";
                }
                continue;
            }
            if (!p.type().accepts(value)) {
                return "argument '" + p.name() + "' must be " + article(p.type()) + " "
                        + p.type().jsonName() + ", was " + value;
            }
        }
        return null;
    }

    private static String article(Type type) {
        return type == Type.INTEGER ? "an" : "a";
    }
}
