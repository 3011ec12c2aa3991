package dev.exitrl.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * Puts the {@link InternalTokenFilter} in front of every servlet service that has this module on its classpath.
 * Secure by default: without {@code exit.internal-token} the service refuses to start unless
 * {@code exit.internal-auth.enabled=false} is set explicitly.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
// The gateway receives outside callers (API keys) and sends the token; it reuses the properties, not the check.
@ConditionalOnMissingClass("org.springframework.cloud.gateway.server.mvc.GatewayServerMvcAutoConfiguration")
@EnableConfigurationProperties(InternalAuthProperties.class)
public class InternalAuthAutoConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(InternalAuthAutoConfiguration.class);

    @Bean
    FilterRegistrationBean<InternalTokenFilter> internalTokenFilter(InternalAuthProperties properties) {
        if (!properties.internalAuth().enabled()) {
            LOG.warn("exit.internal-auth.enabled=false: this service answers /api/** without the internal token;"
                    + " run it only on a trusted network");
            var off = new FilterRegistrationBean<InternalTokenFilter>(new InternalTokenFilter(""));
            off.setEnabled(false);
            return off;
        }
        String token = properties.outgoingToken().orElse(null);
        if (token == null) {
            throw new IllegalStateException("exit.internal-token (env EXIT_INTERNAL_TOKEN) is not set: this service"
                    + " refuses to start without the token that the gateway and the other services send. Give all"
                    + " services and the gateway the same random value (bin/exit-local generates one into"
                    + " data/secrets/), or set exit.internal-auth.enabled=false on a trusted network.");
        }
        if (token.length() < InternalAuthProperties.MIN_TOKEN_LENGTH) {
            throw new IllegalStateException("exit.internal-token is shorter than "
                    + InternalAuthProperties.MIN_TOKEN_LENGTH + " characters; use a random value"
                    + " (e.g. openssl rand -hex 32)");
        }
        var registration = new FilterRegistrationBean<>(new InternalTokenFilter(token));
        registration.addUrlPatterns("/*");
        registration.setName("internalTokenFilter");
        // Before everything that reads the request (metrics and tracing filters still see the 401).
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
        return registration;
    }
}
