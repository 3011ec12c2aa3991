package dev.exitrl.trainer.loop;

import dev.exitrl.security.InternalAuthProperties;
import dev.exitrl.taskapi.TaskSpaceClient;
import dev.exitrl.trainer.TrainerProperties;
import dev.exitrl.trainer.checkpoint.CheckpointStore;
import dev.exitrl.trainer.model.InitialPolicies;
import dev.exitrl.trainer.training.TrainerMetrics;
import java.net.http.HttpClient;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/** The task-space client and the training loop over it. */
@Configuration(proxyBeanMethods = false)
class LoopConfiguration {

    /** Timeouts keep a hung task space from holding the training thread for ever. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    @Bean
    TaskSpaceClient taskSpaceClient(TrainerProperties properties, InternalAuthProperties auth) {
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(
                HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build());
        requests.setReadTimeout(READ_TIMEOUT);
        var rest = RestClient.builder()
                .baseUrl(properties.taskServiceUrl().toString())
                .requestFactory(requests);
        auth.outgoingToken().ifPresent(token -> rest.defaultHeader(TaskSpaceClient.INTERNAL_TOKEN_HEADER, token));
        return TaskSpaceClient.over(rest.build());
    }

    /** Closed by the {@link TrainingThread} that uses it, not by the context (no inferred close method). */
    @Bean(destroyMethod = "")
    TrainingLoop trainingLoop(
            TaskSpaceClient client,
            CheckpointStore store,
            InitialPolicies initial,
            TrainerMetrics metrics,
            TrainerProperties properties) {
        return new TrainingLoop(client, store, initial, metrics, properties);
    }
}
