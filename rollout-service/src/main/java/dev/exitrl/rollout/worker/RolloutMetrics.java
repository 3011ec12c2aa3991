package dev.exitrl.rollout.worker;

import dev.exitrl.rollout.engine.BatchResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * The worker's meters, each tagged {@code experiment}: generated tokens (a counter: tokens/s is its rate) and the
 * last batch's tokens/s, generate / verify / embed time per batch, groups submitted (groups/s is its rate), the policy
 * version in use and the time a lease request takes.
 */
@Component
public class RolloutMetrics {
    private final MeterRegistry registry;
    private final Map<UUID, PerExperiment> meters = new ConcurrentHashMap<>();

    public RolloutMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Records what producing one batch cost. */
    public void batch(UUID experiment, BatchResult batch) {
        PerExperiment m = of(experiment);
        m.tokens.increment(batch.generatedTokens());
        m.generate.record(batch.generateNanos(), TimeUnit.NANOSECONDS);
        m.verify.record(batch.verifyNanos(), TimeUnit.NANOSECONDS);
        if (batch.embedNanos() > 0) {
            m.embed.record(batch.embedNanos(), TimeUnit.NANOSECONDS);
        }
        if (batch.generateNanos() > 0) {
            m.tokensPerSecond.set(Double.doubleToLongBits(batch.generatedTokens() / (batch.generateNanos() / 1e9)));
        }
        m.policyVersion.set(batch.policyVersion());
    }

    /** Groups the task space accepted. */
    public void submitted(UUID experiment, int groups) {
        of(experiment).groups.increment(groups);
    }

    /** A submit that was refused or failed after every attempt. */
    public void submitFailed(UUID experiment) {
        of(experiment).submitFailures.increment();
    }

    public void leaseWait(UUID experiment, long nanos) {
        of(experiment).leaseWait.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void policyVersion(UUID experiment, long version) {
        of(experiment).policyVersion.set(version);
    }

    private PerExperiment of(UUID experiment) {
        return meters.computeIfAbsent(experiment, id -> new PerExperiment(registry, id.toString()));
    }

    private static final class PerExperiment {
        final Counter tokens;
        final Counter groups;
        final Counter submitFailures;
        final Timer generate;
        final Timer verify;
        final Timer embed;
        final Timer leaseWait;
        final AtomicLong tokensPerSecond = new AtomicLong(Double.doubleToLongBits(0));
        final AtomicLong policyVersion = new AtomicLong(-1);

        PerExperiment(MeterRegistry registry, String experiment) {
            tokens = Counter.builder("exit.rollout.generated.tokens")
                    .description("Response tokens generated")
                    .tag("experiment", experiment)
                    .register(registry);
            groups = Counter.builder("exit.rollout.groups")
                    .description("Groups the task space accepted")
                    .tag("experiment", experiment)
                    .register(registry);
            submitFailures = Counter.builder("exit.rollout.submit.failures")
                    .description("Batches refused by the task space or failed after every attempt")
                    .tag("experiment", experiment)
                    .register(registry);
            generate = timer(registry, "exit.rollout.generate", "Batched generate time per batch", experiment);
            verify = timer(registry, "exit.rollout.verify", "Verifier time per batch", experiment);
            embed = timer(registry, "exit.rollout.embed", "Diversity-bonus embedding time per batch", experiment);
            leaseWait = timer(registry, "exit.rollout.lease.wait", "Time to obtain a lease", experiment);
            Gauge.builder("exit.rollout.tokens.per.second", tokensPerSecond, a -> Double.longBitsToDouble(a.get()))
                    .description("Generated tokens per second of generate time, last batch")
                    .tag("experiment", experiment)
                    .register(registry);
            Gauge.builder("exit.rollout.policy.version", policyVersion, AtomicLong::get)
                    .description("Policy version this worker generates with (-1 before the first)")
                    .tag("experiment", experiment)
                    .register(registry);
        }

        private static Timer timer(MeterRegistry registry, String name, String description, String experiment) {
            return Timer.builder(name)
                    .description(description)
                    .tag("experiment", experiment)
                    .register(registry);
        }
    }
}
