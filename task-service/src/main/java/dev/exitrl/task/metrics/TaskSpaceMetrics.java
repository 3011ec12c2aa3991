package dev.exitrl.task.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Every meter of the task-service, in one place. The services that do the work record into the timers and counters
 * here; the gauges of the task space's state are read from PostgreSQL by a scheduled refresh (default every 10 s,
 * {@code exit.metrics.refresh-interval}) rather than on every scrape, so scrapes never touch the database.
 *
 * <ul>
 *   <li>{@code exit.lease.latency}, {@code exit.submit.latency} (timers with histograms), {@code exit.submits},
 *       {@code exit.submit.replays}, {@code exit.training.stale.drops} (counters).</li>
 *   <li>Per RUNNING or PAUSED experiment (tag {@code experiment}); an experiment that stops running drops its
 *       series:
 *       <ul>
 *         <li>{@code exit.buffer.size} and {@code exit.buffer.score.mean}: its buffered instances (read through the
 *             partial buffer index);</li>
 *         <li>{@code exit.leases.outstanding}: its ACTIVE leases not yet past their expiry;</li>
 *         <li>{@code exit.leases.expired}: its leases in status EXPIRED, ever;</li>
 *         <li>{@code exit.training.queue.depth{state}}: its training queue entries per state (ready, claimed,
 *             consumed, dropped_stale); every state is reported, 0 when empty.</li>
 *       </ul>
 *   </li>
 * </ul>
 * The lease and queue gauges of an experiment are registered once and keep their series while it runs (their
 * values are updated in place), so a scrape never falls between a removal and a re-registration.
 */
@Component
public class TaskSpaceMetrics {
    private static final Logger log = LoggerFactory.getLogger(TaskSpaceMetrics.class);
    static final List<String> QUEUE_STATES = List.of("READY", "CLAIMED", "CONSUMED", "DROPPED_STALE");

    private final JdbcClient jdbc;
    private final MeterRegistry meters;
    private final Timer leaseLatency;
    private final Timer submitLatency;
    private final Counter submits;
    private final Counter submitReplays;
    private final Counter staleDrops;
    private final MultiGauge bufferSize;
    private final MultiGauge bufferScoreMean;
    /** The lease and queue gauges of each reported experiment. */
    private final Map<String, ExperimentGauges> experiments = new HashMap<>();

    TaskSpaceMetrics(JdbcClient jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.meters = meters;
        this.leaseLatency = Timer.builder("exit.lease.latency")
                .description("time to choose and lease a batch")
                .publishPercentileHistogram()
                .register(meters);
        this.submitLatency = Timer.builder("exit.submit.latency")
                .description("time to store a group and update the buffer")
                .publishPercentileHistogram()
                .register(meters);
        this.submits =
                Counter.builder("exit.submits").description("groups stored").register(meters);
        this.submitReplays = Counter.builder("exit.submit.replays")
                .description("idempotent replays of a submit")
                .register(meters);
        this.staleDrops = Counter.builder("exit.training.stale.drops")
                .description("groups dropped from the training queue as too stale")
                .register(meters);
        this.bufferSize = MultiGauge.builder("exit.buffer.size")
                .description("task instances in the buffer of a running or paused experiment")
                .register(meters);
        this.bufferScoreMean = MultiGauge.builder("exit.buffer.score.mean")
                .description("mean learnability score of the buffer of a running or paused experiment")
                .register(meters);
    }

    public Timer leaseLatency() {
        return leaseLatency;
    }

    public Timer submitLatency() {
        return submitLatency;
    }

    /** A group was stored. */
    public void submitted() {
        submits.increment();
    }

    /** A submit was answered from its idempotency key. */
    public void replayed() {
        submitReplays.increment();
    }

    /** Groups dropped from the training queue as too stale. */
    public void droppedStale(int groups) {
        staleDrops.increment(groups);
    }

    /** Reads every gauge's value; on a database error the gauges keep their previous values. */
    @Scheduled(fixedDelayString = "${exit.metrics.refresh-interval:PT10S}")
    public synchronized void refresh() {
        try {
            // Leases and queue first: a scrape that sees an experiment's buffer series sees its other series too.
            refreshLeasesAndQueue();
            refreshBuffers();
        } catch (DataAccessException e) {
            log.warn("task-space gauges not refreshed: {}", e.getMessage());
        }
    }

    private void refreshBuffers() {
        record Buffer(String experiment, long size, Double meanScore) {}
        List<Buffer> buffers = jdbc.sql("""
                        SELECT e.id, b.size, b.mean_score
                          FROM experiment e
                          CROSS JOIN LATERAL (SELECT count(*) AS size, avg(t.score) AS mean_score
                                                FROM task_instance t
                                               WHERE t.experiment_id = e.id AND t.in_buffer) b
                         WHERE e.status IN ('RUNNING', 'PAUSED')""")
                .query((rs, n) -> {
                    double mean = rs.getDouble(3);
                    return new Buffer(rs.getString(1), rs.getLong(2), rs.wasNull() ? null : mean);
                })
                .list();
        bufferSize.register(
                buffers.stream()
                        .map(b -> MultiGauge.Row.of(Tags.of("experiment", b.experiment()), b.size()))
                        .toList(),
                true);
        bufferScoreMean.register(
                buffers.stream()
                        .filter(b -> b.meanScore() != null)
                        .map(b -> MultiGauge.Row.of(Tags.of("experiment", b.experiment()), b.meanScore()))
                        .toList(),
                true);
    }

    private void refreshLeasesAndQueue() {
        Map<String, long[]> leases = new HashMap<>(); // experiment -> (outstanding, expired)
        jdbc.sql("""
                        SELECT e.id,
                               (SELECT count(*) FROM lease l
                                 WHERE l.experiment_id = e.id AND l.status = 'ACTIVE' AND l.expires_at > now()),
                               (SELECT count(*) FROM lease l WHERE l.experiment_id = e.id AND l.status = 'EXPIRED')
                          FROM experiment e
                         WHERE e.status IN ('RUNNING', 'PAUSED')""").query((ResultSet rs) -> {
            leases.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
        });
        Map<String, Map<String, Long>> queues = new HashMap<>(); // experiment -> state -> count
        jdbc.sql("""
                        SELECT q.experiment_id, q.state, count(*)
                          FROM training_queue q JOIN experiment e ON e.id = q.experiment_id
                         WHERE e.status IN ('RUNNING', 'PAUSED')
                         GROUP BY q.experiment_id, q.state""").query((ResultSet rs) -> {
            queues.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), rs.getLong(3));
        });
        Set<String> gone = new HashSet<>(experiments.keySet());
        gone.removeAll(leases.keySet());
        gone.forEach(id -> experiments.remove(id).remove());
        leases.forEach((id, counts) -> {
            var gauges = experiments.computeIfAbsent(id, ExperimentGauges::new);
            gauges.leasesOutstanding.set(counts[0]);
            gauges.leasesExpired.set(counts[1]);
            var queue = queues.getOrDefault(id, Map.of());
            gauges.queueDepth.forEach((state, depth) -> depth.set(queue.getOrDefault(state, 0L)));
        });
    }

    /** One experiment's lease and queue gauges. */
    private final class ExperimentGauges {
        final AtomicLong leasesOutstanding = new AtomicLong();
        final AtomicLong leasesExpired = new AtomicLong();
        final Map<String, AtomicLong> queueDepth = new HashMap<>();
        final List<Gauge> registered;

        ExperimentGauges(String experiment) {
            var all = new ArrayList<Gauge>();
            all.add(Gauge.builder("exit.leases.outstanding", leasesOutstanding, AtomicLong::get)
                    .description("active leases that have not expired")
                    .tag("experiment", experiment)
                    .register(meters));
            all.add(Gauge.builder("exit.leases.expired", leasesExpired, AtomicLong::get)
                    .description("leases that expired before being completed or released")
                    .tag("experiment", experiment)
                    .register(meters));
            for (String state : QUEUE_STATES) {
                AtomicLong depth = new AtomicLong();
                queueDepth.put(state, depth);
                all.add(Gauge.builder("exit.training.queue.depth", depth, AtomicLong::get)
                        .description("training queue entries in a state")
                        .tags("experiment", experiment, "state", state.toLowerCase(Locale.ROOT))
                        .register(meters));
            }
            registered = List.copyOf(all);
        }

        void remove() {
            registered.forEach(meters::remove);
        }
    }
}
