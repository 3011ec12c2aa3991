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

    /** A client proxy over {@code restClient}, whose base URL is the task-service (or the gateway). */
    static TaskSpaceClient over(RestClient restClient) {
        return HttpServiceProxyFactory.builderFor(RestClientAdapter.create(restClient))
                .build()
                .createClient(TaskSpaceClient.class);
    }

    /** A client proxy on a plain {@link RestClient} for {@code baseUrl}. */
    static TaskSpaceClient at(URI baseUrl) {
        return over(RestClient.builder().baseUrl(baseUrl.toString()).build());
    }
}
