package dev.exitrl.rollout;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.servers.Server;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Rollout workers: lease task instances, sample G self-revisions with the policy, verify them, submit groups. */
@SpringBootApplication
@OpenAPIDefinition(
        // Relative: "Try it out" calls whichever origin served the UI (the gateway, or the service itself).
        servers = @Server(url = "/"),
        info =
                @Info(
                        title = "ExIt rollout-service",
                        version = "0.1.0",
                        description =
                                "Rollout workers: lease, sample G revisions, verify, submit; K-step evaluations."))
@ConfigurationPropertiesScan
public class RolloutServiceApplication {
    public static void main(String[] args) {
        SpringApplication.run(RolloutServiceApplication.class, args);
    }
}
