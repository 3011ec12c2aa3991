package dev.exitrl.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client for tests: JSON in, JSON out, over real HTTP to the running service. */
public final class TaskSpaceApi {
    public record Response(int status, String contentType, JsonNode body, String text) {}

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper mapper = JsonMapper.builder().build();
    private final String base;

    public TaskSpaceApi(int port) {
        this.base = "http://localhost:" + port;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public Response post(String path, Object body) {
        String json = body instanceof String s ? s : mapper.writeValueAsString(body);
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    public Response post(String path, String body, String contentType) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
    }

    public Response delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE().build());
    }

    /** POST that must succeed (2xx); returns the body. */
    public JsonNode ok(String path, Object body) {
        var response = post(path, body);
        assertThat(response.status()).as(path + " -> " + response.text()).isBetween(200, 299);
        return response.body();
    }

    /** Creates an experiment with the given config fields and starts it; returns its id. */
    public UUID runningExperiment(String configJson) {
        var created = ok("/api/experiments", "{\"name\":\"test\",\"config\":" + configJson + "}");
        UUID id = UUID.fromString(created.get("id").asString());
        ok("/api/experiments/" + id + "/status", "{\"status\":\"RUNNING\"}");
        return id;
    }

    private Response send(HttpRequest request) {
        try {
            var response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String type = response.headers().firstValue("Content-Type").orElse("");
            JsonNode body = null;
            if (type.contains("json") && !response.body().isEmpty()) {
                body = mapper.readTree(response.body());
            }
            return new Response(response.statusCode(), type, body, response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
