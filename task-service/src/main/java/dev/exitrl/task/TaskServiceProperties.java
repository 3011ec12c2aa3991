package dev.exitrl.task;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
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
 * @param limits        size limits of what clients send
 */
@Validated
@ConfigurationProperties("exit.task")
public record TaskServiceProperties(
        @NotNull @DefaultValue("PT5M") Duration leaseDuration,
        @NotNull @DefaultValue("PT10M") Duration claimDuration,
        @NotNull @Valid @DefaultValue Limits limits) {

    /**
     * Size limits ({@code exit.task.limits.*}); a request over one is refused and writes nothing.
     *
     * @param maxRequestBytes   request body size (413 over it)
     * @param maxResponseChars  characters of one rollout's response
     * @param maxFeedbackChars  characters of one rollout's feedback
     * @param maxHistoryTurns   turns of a submitted history
     * @param maxDepth          iteration depth of a submitted history
     */
    public record Limits(
            @Min(1024) @DefaultValue("67108864") long maxRequestBytes,
            @Min(1) @Max(10_000_000) @DefaultValue("100000") int maxResponseChars,
            @Min(1) @Max(10_000_000) @DefaultValue("20000") int maxFeedbackChars,
            @Min(1) @Max(10_000) @DefaultValue("64") int maxHistoryTurns,
            @Min(1) @Max(1_000_000) @DefaultValue("1000") int maxDepth) {}
}
