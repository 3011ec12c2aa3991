package dev.exitrl.rollout;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Rollout workers: lease task instances, sample G self-revisions with the policy, verify them, submit groups. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RolloutServiceApplication {
    public static void main(String[] args) {
        SpringApplication.run(RolloutServiceApplication.class, args);
    }
}
