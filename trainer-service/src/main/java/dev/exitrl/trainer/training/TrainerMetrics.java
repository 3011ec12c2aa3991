package dev.exitrl.trainer.training;

import dev.exitrl.core.task.StepKind;
import dev.exitrl.policy.training.StepStats;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * The trainer's Micrometer meters, each tagged {@code experiment}: gauges hold the latest iteration's value (a
 * Prometheus scrape sees the newest step), the diversity multiplier is a distribution summary (it has no fixed
 * scale, so its spread is what tells whether the bonus dominates the advantages), step and checkpoint write times
 * are timers.
 */
@Component
public class TrainerMetrics {

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();

    public TrainerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Records one training iteration. */
    public void recordBatch(UUID experiment, BatchResult r) {
        String e = experiment.toString();
        StepStats last = r.lastStep();
        if (last != null) {
            set("exit.trainer.loss", e, last.loss());
            set("exit.trainer.kl", e, last.meanKl());
            set("exit.trainer.clip.fraction", e, last.clipFraction());
            set("exit.trainer.grad.norm", e, last.gradNorm());
        }
        set("exit.trainer.learning.rate", e, r.learningRate());
        set("exit.trainer.advantage.mean", e, r.advantageMean());
        set("exit.trainer.advantage.std", e, r.advantageStd());
        set("exit.trainer.zero.variance.fraction", e, r.zeroVarianceFraction());
        set("exit.trainer.depth.mean", e, r.meanDepth());
        set("exit.trainer.depth.max", e, r.maxDepth());
        set("exit.trainer.tokens.per.second", e, r.tokensPerSecond());
        set("exit.trainer.recomputed.rollouts", e, r.recomputedRollouts());
        r.meanReward().forEach((kind, v) -> set("exit.trainer.reward.mean", e, kind, v));
        r.meanQuality().forEach((kind, v) -> set("exit.trainer.quality.mean", e, kind, v));
        Timer.builder("exit.trainer.step.time")
                .description("wall time of one training iteration (all epochs)")
                .tags("experiment", e)
                .register(registry)
                .record(Duration.ofNanos((long) (r.seconds() * 1e9)));
        DistributionSummary diversity = DistributionSummary.builder("exit.trainer.diversity.multiplier")
                .description("diversity-bonus multiplier d_i of each trained rollout")
                .tags("experiment", e)
                .publishPercentiles(0.5, 0.9, 0.99)
                .register(registry);
        for (double d : r.diversity()) {
            diversity.record(d);
        }
    }

    /** Records the policy version the trainer announced. */
    public void recordVersion(UUID experiment, long version) {
        set("exit.trainer.policy.version", experiment.toString(), version);
    }

    /** Records a checkpoint write. */
    public void recordCheckpoint(UUID experiment, long bytes, double seconds) {
        String e = experiment.toString();
        set("exit.trainer.checkpoint.bytes", e, bytes);
        Timer.builder("exit.trainer.checkpoint.write.time")
                .description("atomic checkpoint write: weights, optimizer state, policy.zip, fsync, rename")
                .tags("experiment", e)
                .register(registry)
                .record(Duration.ofNanos((long) (seconds * 1e9)));
    }

    private void set(String name, String experiment, double value) {
        holder(name, Tags.of("experiment", experiment)).set(Double.doubleToRawLongBits(value));
    }

    private void set(String name, String experiment, StepKind kind, double value) {
        holder(name, Tags.of("experiment", experiment, "step_kind", kind.name().toLowerCase(Locale.ROOT)))
                .set(Double.doubleToRawLongBits(value));
    }

    /** One holder per (name, tags), registered once; the gauge reads the latest value stored in it. */
    private AtomicLong holder(String name, Tags tags) {
        return gauges.computeIfAbsent(name + tags, k -> {
            AtomicLong bits = new AtomicLong(Double.doubleToRawLongBits(Double.NaN));
            Gauge.builder(name, bits, b -> Double.longBitsToDouble(b.get()))
                    .tags(tags)
                    .strongReference(true)
                    .register(registry);
            return bits;
        });
    }
}
