package dev.exitrl.gateway;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where the gateway forwards to ({@code exit.gateway.services.*}); the routes in application.yml read these.
 * On Kubernetes they are the services' cluster DNS names, locally loopback ports.
 */
@Validated
@ConfigurationProperties("exit.gateway")
record GatewayProperties(@NotNull @Valid Services services) {
    record Services(
            @NotNull URI taskService,
            @NotNull URI rolloutService,
            @NotNull URI trainerService) {}
}
