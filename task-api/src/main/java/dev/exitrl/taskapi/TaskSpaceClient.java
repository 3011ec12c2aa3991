package dev.exitrl.taskapi;

import java.net.URI;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientAdapter;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;

/**
 * The whole task space as one HTTP interface: what rollout workers, the trainer, the demo and tests call. Each part
 * is served by one task-service controller that implements it.
 */
public interface TaskSpaceClient
        extends ExperimentsApi, BaseTasksApi, LeasesApi, GroupsApi, TrainingApi, BufferApi, EvaluationsApi, HistoryApi {

    /**
     * The header of every service-to-service call (and of every call the gateway forwards): the services refuse
     * {@code /api/**} without the shared internal token ({@code exit.internal-token}), so a caller that bypasses the
     * gateway does not bypass its access control.
     */
    String INTERNAL_TOKEN_HEADER = "X-Exit-Internal-Token";

    /** A client proxy over {@code restClient}, whose base URL is the task-service (or the gateway). */
    static TaskSpaceClient over(RestClient restClient) {
        return HttpServiceProxyFactory.builderFor(RestClientAdapter.create(restClient))
                .build()
                .createClient(TaskSpaceClient.class);
    }

    /** A client proxy on a plain {@link RestClient} for {@code baseUrl}, without credentials. */
    static TaskSpaceClient at(URI baseUrl) {
        return over(RestClient.builder().baseUrl(baseUrl.toString()).build());
    }

    /** A client proxy for the task-service at {@code baseUrl} that sends {@code internalToken} with every call. */
    static TaskSpaceClient at(URI baseUrl, String internalToken) {
        return over(RestClient.builder()
                .baseUrl(baseUrl.toString())
                .defaultHeader(INTERNAL_TOKEN_HEADER, internalToken)
                .build());
    }
}
