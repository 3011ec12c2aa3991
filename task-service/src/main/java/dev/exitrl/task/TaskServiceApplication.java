package dev.exitrl.task;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The durable ExIt task space: experiments, base tasks, the buffer, leases, the training queue, evaluations. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TaskServiceApplication {
    public static void main(String[] args) {
        SpringApplication.run(TaskServiceApplication.class, args);
    }
}
