package dev.exitrl.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Checks a service's OpenAPI document ({@code GET /v3/api-docs}, served by springdoc). */
public final class OpenApiDocs {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private OpenApiDocs() {}

    /** One operation of the document: its method, path and summary (null when it has none). */
    public record Operation(String method, String path, String summary, JsonNode node) {}

    /** The parsed document of the service on {@code port}. */
    public static JsonNode fetch(int port) {
        return JsonMapper.builder().build().readTree(ServiceProbe.getOk(port, "/v3/api-docs"));
    }

    /** Every operation under {@code paths}. */
    public static List<Operation> operations(JsonNode document) {
        var out = new ArrayList<Operation>();
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                if (METHODS.contains(op.getKey())) {
                    JsonNode summary = op.getValue().get("summary");
                    out.add(new Operation(
                            op.getKey(),
                            path.getKey(),
                            summary == null || summary.isNull() ? null : summary.asString(),
                            op.getValue()));
                }
            }
        }
        return out;
    }

    /**
     * Fetches the document and fails unless it has operations, every operation has a non-blank summary, and every
     * one of {@code schemas} is a component schema. Returns the document for further checks.
     */
    public static JsonNode assertDocumented(int port, String... schemas) {
        JsonNode document = fetch(port);
        var operations = operations(document);
        if (operations.isEmpty()) {
            throw new AssertionError("/v3/api-docs lists no operation");
        }
        var missing = operations.stream()
                .filter(o -> o.summary() == null || o.summary().isBlank())
                .map(o -> o.method().toUpperCase(Locale.ROOT) + " " + o.path())
                .toList();
        if (!missing.isEmpty()) {
            throw new AssertionError("operations without a summary: " + missing);
        }
        JsonNode components = document.path("components").path("schemas");
        var absent = new ArrayList<String>();
        for (String schema : schemas) {
            if (!components.has(schema)) {
                absent.add(schema);
            }
        }
        if (!absent.isEmpty()) {
            throw new AssertionError(
                    "schemas missing from /v3/api-docs: " + absent + "; present: " + components.propertyNames());
        }
        return document;
    }
}
