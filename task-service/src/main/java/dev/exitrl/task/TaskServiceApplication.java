package dev.exitrl.task;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.servers.Server;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The durable ExIt task space: experiments, base tasks, the buffer, leases, the training queue, evaluations. */
@SpringBootApplication
@OpenAPIDefinition(
        // Relative: "Try it out" calls whichever origin served the UI (the gateway, or the service itself).
        servers = @Server(url = "/"),
        info =
                @Info(
                        title = "ExIt task-service",
                        version = "0.1.0",
                        description =
                                "The durable task space: experiments and their lifecycle and progress, base tasks,"
                                        + " the buffer, leases, groups, the training queue and evaluations."))
@ConfigurationPropertiesScan
public class TaskServiceApplication {
    public static void main(String[] args) {
        SpringApplication.run(TaskServiceApplication.class, args);
    }
}
