package dev.exitrl.task;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the task space ({@code exit.task.*}).
 *
 * @param leaseDuration how long a worker holds leased instances before they are served again
 * @param claimDuration how long the trainer holds a claimed training batch before it returns to the queue
 * @param samplingIndex leases sample from an in-memory mirror of the buffer (true) instead of reading every buffered
 *                      row per lease (false, the baseline the benchmark compares against); both choose identically
 */
@Validated
@ConfigurationProperties("exit.task")
public record TaskServiceProperties(
        @NotNull @DefaultValue("PT5M") Duration leaseDuration,
        @NotNull @DefaultValue("PT10M") Duration claimDuration,
        @DefaultValue("true") boolean samplingIndex) {}
