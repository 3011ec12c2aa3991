package dev.exitrl.gateway;

import dev.exitrl.security.InternalAuthProperties;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The edge's parts. Secure by default: the gateway refuses to start without an API key unless
 * {@code exit.gateway.auth.enabled=false} is set explicitly, and without the internal token the services require
 * unless {@code exit.internal-auth.enabled=false}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(InternalAuthProperties.class)
class EdgeConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeConfiguration.class);

    @Bean
    FilterRegistrationBean<EdgeFilter> edgeFilter(GatewayProperties properties, InternalAuthProperties internal) {
        ApiKeys keys = null;
        if (properties.auth().enabled()) {
            Path file = properties.apiKeysFile() == null
                            || properties.apiKeysFile().toString().isEmpty()
                    ? null
                    : properties.apiKeysFile();
            keys = ApiKeys.of(properties.apiKeys(), file);
            if (keys.isEmpty()) {
                throw new IllegalStateException("No API key configured: the gateway refuses to start open to anyone."
                        + " Set exit.gateway.api-keys (env EXIT_GATEWAY_API_KEYS) to name:role:key entries"
                        + " (role read or write, comma-separated) or exit.gateway.api-keys-file (env"
                        + " EXIT_GATEWAY_API_KEYS_FILE, one entry per line); bin/exit-local generates one into"
                        + " data/secrets/. Only on a trusted machine: exit.gateway.auth.enabled=false.");
            }
            LOG.info(
                    "API keys: {}",
                    keys.all().stream()
                            .map(k -> k.name() + " (" + k.role().name().toLowerCase(Locale.ROOT) + ")")
                            .collect(Collectors.joining(", ")));
        } else {
            LOG.warn("exit.gateway.auth.enabled=false: /api/** is open to anyone who can reach this port");
        }
        String token = internal.outgoingToken().orElse(null);
        if (token == null && internal.internalAuth().enabled()) {
            throw new IllegalStateException("exit.internal-token (env EXIT_INTERNAL_TOKEN) is not set: the gateway"
                    + " forwards it to the services, which refuse /api/** without it. Give the gateway and every"
                    + " service the same random value, or set exit.internal-auth.enabled=false everywhere on a"
                    + " trusted network.");
        }
        var registration = new FilterRegistrationBean<>(
                new EdgeFilter(keys, token, properties.maxRequestSize().toBytes()));
        registration.addUrlPatterns("/*");
        registration.setName("edgeFilter");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
        return registration;
    }

    @Bean
    BackendErrors backendErrors() {
        return new BackendErrors();
    }
}
