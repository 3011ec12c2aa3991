package dev.exitrl.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.core.reward.Rewards;
import dev.exitrl.taskapi.CreateExperiment;
import dev.exitrl.taskapi.ExperimentStatus;
import dev.exitrl.taskapi.LeaseSlot;
import dev.exitrl.taskapi.LeaseView;
import dev.exitrl.taskapi.RolloutRecord;
import dev.exitrl.taskapi.StatusChange;
import dev.exitrl.taskapi.SubmitGroup;
import dev.exitrl.taskapi.TaskSpaceClient;
import dev.exitrl.testsupport.TestTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.web.client.HttpClientErrorException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The tests' way into the running service over real HTTP: {@link #client} is the typed {@code task-api} client that
 * rollout workers and the trainer use; the raw JSON methods are for what a typed client cannot send (malformed or
 * out-of-range input, other content types).
 */
public final class TaskSpaceApi {
    public record Response(int status, String contentType, JsonNode body, String text) {}

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper mapper = JsonMapper.builder().build();
    private final String base;

    /** The typed client of the task space (the same proxy the services use). */
    public final TaskSpaceClient client;

    public TaskSpaceApi(int port) {
        this.base = "http://localhost:" + port;
        this.client = TestTokens.taskSpace(URI.create(base));
    }

    /** Creates an experiment with the given config fields (JSON) and starts it; returns its id. */
    public UUID running(String configJson) {
        var created = client.createExperiment(new CreateExperiment("test", mapper.readTree(configJson)))
                .getBody();
        client.changeStatus(created.id(), new StatusChange(ExperimentStatus.RUNNING));
        return created.id();
    }

    /**
     * A group for {@code slot} with one rollout per quality: response {@code "Answer: q"} (so equal qualities give
     * equal responses), the reward exit-core derives for the slot, two token ids and their log-probs.
     */
    public static SubmitGroup group(String key, UUID leaseId, LeaseSlot slot, long policyVersion, double... qualities) {
        var rollouts = new ArrayList<RolloutRecord>();
        for (double q : qualities) {
            rollouts.add(rollout(slot, "Answer: " + q, q));
        }
        return group(key, leaseId, slot, policyVersion, rollouts);
    }

    /** A group of {@code rollouts} for {@code slot}, with the slot's prompt and one prompt token id. */
    public static SubmitGroup group(
            String key, UUID leaseId, LeaseSlot slot, long policyVersion, List<RolloutRecord> rollouts) {
        return new SubmitGroup(key, leaseId, slot.slot(), policyVersion, slot.prompt(), new long[] {7}, rollouts);
    }

    /**
     * One rollout of {@code slot}: {@code response} verified with {@code quality}, the reward exit-core derives for
     * the slot (0 for a quality outside [0, 1], which the service must refuse anyway), two token ids and their
     * log-probs.
     */
    public static RolloutRecord rollout(LeaseSlot slot, String response, double quality) {
        double reward = quality >= 0 && quality <= 1
                ? Rewards.reward(
                        slot.rewardMode(),
                        slot.stepKind(),
                        slot.parentQuality() == null ? 0 : slot.parentQuality(),
                        quality)
                : 0;
        return new RolloutRecord(
                response, quality, reward, null, null, new long[] {1, 2}, new float[] {-0.5f, -0.25f}, null);
    }

    /** {@link #group} at policy version 0. */
    public static SubmitGroup group(String key, LeaseView lease, int slot, double... qualities) {
        return group(key, lease.leaseId(), lease.slots().get(slot), 0, qualities);
    }

    /** The 4xx answer of a call that must be refused, as the typed client throws it. */
    public static HttpClientErrorException refused(Runnable call) {
        try {
            call.run();
        } catch (HttpClientErrorException e) {
            return e;
        }
        throw new AssertionError("expected a 4xx answer, the call succeeded");
    }

    /** The problem+json body of a refused call. */
    public JsonNode problem(HttpClientErrorException e) {
        assertThat(e.getResponseHeaders()).isNotNull();
        assertThat(String.valueOf(e.getResponseHeaders().getContentType())).startsWith("application/problem+json");
        return mapper.readTree(e.getResponseBodyAsString());
    }

    /** The fields a 400 names ({@code errors[].field}), in order. */
    public List<String> fields(HttpClientErrorException e) {
        assertThat(e.getStatusCode().value()).as(e.getResponseBodyAsString()).isEqualTo(400);
        var fields = new ArrayList<String>();
        problem(e).get("errors").forEach(error -> fields.add(error.get("field").asString()));
        return fields;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** Raw POST that must succeed (2xx); returns the JSON body (for tests that replay recorded JSON). */
    public JsonNode ok(String path, Object body) {
        var response = post(path, body);
        assertThat(response.status()).as(path + " -> " + response.text()).isBetween(200, 299);
        return response.body();
    }

    /** {@link #running}, kept under the name the scale tests use. */
    public UUID runningExperiment(String configJson) {
        return running(configJson);
    }

    public Response delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE().build());
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

    private Response send(HttpRequest request) {
        try {
            var response = http.send(TestTokens.withToken(request), HttpResponse.BodyHandlers.ofString());
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
