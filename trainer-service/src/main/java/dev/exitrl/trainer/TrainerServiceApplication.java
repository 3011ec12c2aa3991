package dev.exitrl.trainer;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.servers.Server;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The GRPO trainer: claims training batches, updates the policy, publishes checkpoints that workers pull. */
@SpringBootApplication
@OpenAPIDefinition(
        // Relative: "Try it out" calls whichever origin served the UI (the gateway, or the service itself).
        servers = @Server(url = "/"),
        info =
                @Info(
                        title = "ExIt trainer-service",
                        version = "0.1.0",
                        description = "The GRPO trainer: trains on claimed batches and serves the policy versions."))
@ConfigurationPropertiesScan
public class TrainerServiceApplication {
    public static void main(String[] args) {
        SpringApplication.run(TrainerServiceApplication.class, args);
    }
}
