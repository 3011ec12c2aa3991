package dev.exitrl.trainer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The GRPO trainer: claims training batches, updates the policy, publishes checkpoints that workers pull. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TrainerServiceApplication {
    public static void main(String[] args) {
        SpringApplication.run(TrainerServiceApplication.class, args);
    }
}
