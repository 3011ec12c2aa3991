package dev.exitrl.testsupport;

import dev.exitrl.taskapi.TaskSpaceClient;
import java.net.URI;
import java.net.http.HttpRequest;

/**
 * The credentials of the tests, in one place: the internal token that the services' test configuration sets
 * ({@code src/test/resources/config/application.properties} of task-, rollout- and trainer-service) and the
 * process-based tests pass as {@code EXIT_INTERNAL_TOKEN}, and the clients that send it.
 */
public final class TestTokens {
    /** {@code exit.internal-token} of every service under test. */
    public static final String INTERNAL_TOKEN = "test-internal-token-0123456789";

    private TestTokens() {}

    /** A request builder for {@code uri} that carries the internal token. */
    public static HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).header(TaskSpaceClient.INTERNAL_TOKEN_HEADER, INTERNAL_TOKEN);
    }

    /** {@code request} with the internal token added. */
    public static HttpRequest withToken(HttpRequest request) {
        return HttpRequest.newBuilder(request, (name, value) -> true)
                .header(TaskSpaceClient.INTERNAL_TOKEN_HEADER, INTERNAL_TOKEN)
                .build();
    }

    /** The typed task-space client on the task-service at {@code baseUrl}, with the internal token. */
    public static TaskSpaceClient taskSpace(URI baseUrl) {
        return TaskSpaceClient.at(baseUrl, INTERNAL_TOKEN);
    }
}
