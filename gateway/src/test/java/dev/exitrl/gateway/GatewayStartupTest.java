package dev.exitrl.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** Secure by default: without an API key or the internal token the gateway does not start, and says why. */
class GatewayStartupTest {
    static Throwable start(String... args) {
        var all = new ArrayList<>(List.of("--server.port=0", "--spring.main.banner-mode=off"));
        all.addAll(List.of(args));
        Throwable failure = catchThrowable(() -> {
            try (var context = new SpringApplicationBuilder(GatewayApplication.class).run(all.toArray(String[]::new))) {
                assertThat(context.isActive()).isTrue();
            }
        });
        return failure;
    }

    static String messages(Throwable failure) {
        var out = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            out.append(t.getMessage()).append('\n');
        }
        return out.toString();
    }

    @Test
    void withoutAnApiKeyTheGatewayRefusesToStart() {
        Throwable failure = start("--exit.internal-token=startup-internal-token-0123");
        assertThat(failure).isNotNull();
        assertThat(messages(failure))
                .contains("No API key configured")
                .contains("EXIT_GATEWAY_API_KEYS")
                .contains("exit.gateway.auth.enabled=false");
    }

    @Test
    void withoutTheInternalTokenTheGatewayRefusesToStart() {
        Throwable failure = start("--exit.gateway.api-keys=ci:write:startup-key-0123456789");
        assertThat(messages(failure)).contains("exit.internal-token (env EXIT_INTERNAL_TOKEN) is not set");
    }

    @Test
    void aMalformedEntryIsNamedButItsKeyIsNotShown() {
        Throwable failure = start(
                "--exit.internal-token=startup-internal-token-0123",
                "--exit.gateway.api-keys=ci:write:startup-key-0123456789,ops:admin:startup-secret-abcdef123");
        assertThat(messages(failure)).contains("entry 2 ('ops'): the role must be read or write");
        assertThat(messages(failure)).doesNotContain("startup-secret-abcdef123");
        Throwable shortKey =
                start("--exit.internal-token=startup-internal-token-0123", "--exit.gateway.api-keys=ci:write:tooshort");
        assertThat(messages(shortKey))
                .contains("('ci'): the key is shorter than 16")
                .doesNotContain("tooshort");
    }

    @Test
    void authCanBeSwitchedOffOnlyExplicitly() {
        assertThat(start("--exit.gateway.auth.enabled=false", "--exit.internal-auth.enabled=false"))
                .isNull();
    }
}
