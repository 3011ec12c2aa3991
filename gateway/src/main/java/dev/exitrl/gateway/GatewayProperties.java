package dev.exitrl.gateway;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The gateway's settings ({@code exit.gateway.*}). {@code services}: where it forwards to (the routes in
 * application.yml read these; on Kubernetes the services' cluster DNS names, locally loopback ports).
 * {@code apiKeys} and {@code apiKeysFile}: the callers' bearer keys, {@code name:role:key} entries (comma-separated in
 * the property, one per line in the file), role {@code read} (GET/HEAD) or {@code write}. {@code auth.enabled=false}
 * turns the key check off (the gateway refuses to start without a key otherwise). {@code maxRequestSize}: larger
 * bodies are refused with 413. {@link #toString()} never shows the keys.
 */
@Validated
@ConfigurationProperties("exit.gateway")
record GatewayProperties(
        @NotNull @Valid Services services,
        String apiKeys,
        Path apiKeysFile,
        @DefaultValue Auth auth,
        @DefaultValue("16MB") DataSize maxRequestSize) {
    record Services(
            @NotNull URI taskService,
            @NotNull URI rolloutService,
            @NotNull URI trainerService) {}

    record Auth(@DefaultValue("true") boolean enabled) {}

    @Override
    public String toString() {
        return "GatewayProperties[services=" + services + ", apiKeys=" + (apiKeys == null ? "null" : "******")
                + ", apiKeysFile=" + apiKeysFile + ", auth=" + auth + ", maxRequestSize=" + maxRequestSize + "]";
    }
}
