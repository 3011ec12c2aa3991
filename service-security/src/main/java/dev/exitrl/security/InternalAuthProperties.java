package dev.exitrl.security;

import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The internal token every service-to-service call carries ({@code exit.internal-token}, env
 * {@code EXIT_INTERNAL_TOKEN}) and the switch that turns the check off ({@code exit.internal-auth.enabled=false},
 * only for a trusted network). {@link #toString()} never shows the token.
 */
@ConfigurationProperties("exit")
public record InternalAuthProperties(
        String internalToken, @DefaultValue InternalAuth internalAuth) {
    /** Shortest token accepted: a guessable token would make the check decorative. */
    public static final int MIN_TOKEN_LENGTH = 16;

    public record InternalAuth(@DefaultValue("true") boolean enabled) {}

    /** The token outgoing service-to-service calls send (stripped); empty when none is configured. */
    public Optional<String> outgoingToken() {
        return internalToken == null || internalToken.isBlank() ? Optional.empty() : Optional.of(internalToken.strip());
    }

    @Override
    public String toString() {
        return "InternalAuthProperties[internalToken=" + (internalToken == null ? "null" : "******") + ", internalAuth="
                + internalAuth + "]";
    }
}
