package dev.exitrl.rollout;

import dev.exitrl.rollout.engine.Embedder;
import dev.exitrl.rollout.engine.LazyEmbedder;
import dev.exitrl.rollout.engine.MiniLmEmbedder;
import dev.exitrl.rollout.engine.RolloutEngine;
import dev.exitrl.rollout.engine.SamplingSettings;
import dev.exitrl.rollout.engine.SingleTurnEnvironment;
import dev.exitrl.rollout.evaluation.EvaluationRunner;
import dev.exitrl.security.InternalAuthProperties;
import dev.exitrl.taskapi.TaskSpaceClient;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/** The worker's parts: the task-space client, the engine (single-turn domains), the embedder, sampling settings. */
@Configuration(proxyBeanMethods = false)
class RolloutConfiguration {
    /** A request that takes longer than this is treated as lost (and a submit is retried with the same keys). */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    @Bean
    TaskSpaceClient taskSpaceClient(RolloutProperties properties, InternalAuthProperties auth) {
        var factory = new JdkClientHttpRequestFactory(
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
        factory.setReadTimeout(READ_TIMEOUT);
        var rest = RestClient.builder()
                .baseUrl(properties.taskServiceUrl().toString())
                .requestFactory(factory);
        auth.outgoingToken().ifPresent(token -> rest.defaultHeader(TaskSpaceClient.INTERNAL_TOKEN_HEADER, token));
        return TaskSpaceClient.over(rest.build());
    }

    @Bean
    Embedder embedder() {
        return new LazyEmbedder("all-minilm-l6-v2", MiniLmEmbedder::new);
    }

    @Bean
    RolloutEngine rolloutEngine(Embedder embedder) {
        return new RolloutEngine(new SingleTurnEnvironment(), embedder);
    }

    @Bean
    EvaluationRunner evaluationRunner(RolloutEngine engine) {
        return new EvaluationRunner(engine);
    }

    @Bean
    SamplingSettings samplingSettings(RolloutProperties properties) {
        long seed = properties.seed() != null ? properties.seed() : new SecureRandom().nextLong();
        return new SamplingSettings(
                properties.maxNewTokens(),
                properties.temperature(),
                properties.topP(),
                seed,
                properties.syncEvery(),
                properties.maxBatch());
    }
}
