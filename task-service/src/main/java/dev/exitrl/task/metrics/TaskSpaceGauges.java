package dev.exitrl.task.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Gauges of the task space's state, read from PostgreSQL by a scheduled refresh (default every 10 s,
 * {@code exit.metrics.refresh-interval}) rather than on every scrape, so scrapes never touch the database.
 *
 * <ul>
 *   <li>{@code exit.buffer.size{experiment}} and {@code exit.buffer.score.mean{experiment}}: buffered instances
 *       of RUNNING and PAUSED experiments (bounded by their capacities; read through the partial buffer index).
 *       An experiment that stops running drops its series.</li>
 *   <li>{@code exit.leases.outstanding}: ACTIVE leases not yet past their expiry (partial index).</li>
 *   <li>{@code exit.leases.expired}: leases in status EXPIRED, all experiments, ever.</li>
 *   <li>{@code exit.training.queue.depth{state}}: training queue entries per state
 *       (ready, claimed, consumed, dropped_stale); every state is always reported, 0 when empty.</li>
 * </ul>
 * Counters and timers of submits and leases belong to the services that do the work.
 */
@Component
class TaskSpaceGauges {
    private static final Logger log = LoggerFactory.getLogger(TaskSpaceGauges.class);
    static final List<String> QUEUE_STATES = List.of("READY", "CLAIMED", "CONSUMED", "DROPPED_STALE");

    private final JdbcClient jdbc;
    private final MultiGauge bufferSize;
    private final MultiGauge bufferScoreMean;
    private final AtomicLong leasesOutstanding = new AtomicLong();
    private final AtomicLong leasesExpired = new AtomicLong();
    private final Map<String, AtomicLong> queueDepth = new ConcurrentHashMap<>();

    TaskSpaceGauges(JdbcClient jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.bufferSize = MultiGauge.builder("exit.buffer.size")
                .description("task instances in the buffer of a running or paused experiment")
                .register(meters);
        this.bufferScoreMean = MultiGauge.builder("exit.buffer.score.mean")
                .description("mean learnability score of the buffer of a running or paused experiment")
                .register(meters);
        Gauge.builder("exit.leases.outstanding", leasesOutstanding, AtomicLong::get)
                .description("active leases that have not expired")
                .register(meters);
        Gauge.builder("exit.leases.expired", leasesExpired, AtomicLong::get)
                .description("leases that expired before being completed or released")
                .register(meters);
        for (String state : QUEUE_STATES) {
            AtomicLong depth = queueDepth.computeIfAbsent(state, s -> new AtomicLong());
            Gauge.builder("exit.training.queue.depth", depth, AtomicLong::get)
                    .description("training queue entries in a state")
                    .tag("state", state.toLowerCase(Locale.ROOT))
                    .register(meters);
        }
    }

    /** Reads every gauge's value; on a database error the gauges keep their previous values. */
    @Scheduled(fixedDelayString = "${exit.metrics.refresh-interval:PT10S}")
    void refresh() {
        try {
            refreshBuffers();
            refreshLeases();
            refreshQueue();
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

    private void refreshLeases() {
        jdbc.sql("""
                        SELECT (SELECT count(*) FROM lease WHERE status = 'ACTIVE' AND expires_at > now()),
                               (SELECT count(*) FROM lease WHERE status = 'EXPIRED')""").query((ResultSet rs) -> {
            leasesOutstanding.set(rs.getLong(1));
            leasesExpired.set(rs.getLong(2));
        });
    }

    private void refreshQueue() {
        Map<String, Long> counts = new HashMap<>();
        jdbc.sql("SELECT state, count(*) FROM training_queue GROUP BY state").query((ResultSet rs) -> {
            counts.put(rs.getString(1), rs.getLong(2));
        });
        queueDepth.forEach((state, depth) -> depth.set(counts.getOrDefault(state, 0L)));
    }
}
