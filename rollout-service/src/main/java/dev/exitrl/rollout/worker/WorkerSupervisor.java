package dev.exitrl.rollout.worker;

import dev.exitrl.rollout.RolloutProperties;
import dev.exitrl.rollout.engine.RolloutEngine;
import dev.exitrl.rollout.engine.SamplingSettings;
import dev.exitrl.taskapi.ExperimentStatus;
import dev.exitrl.taskapi.ExperimentView;
import dev.exitrl.taskapi.TaskSpaceClient;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClientException;

/**
 * Polls the task space every {@code exit.rollout.poll-interval} and keeps one {@link ExperimentLoop} per RUNNING
 * experiment (each on its own thread); a loop ends by itself when its experiment leaves RUNNING, and is started again
 * if the experiment runs again. Off with {@code exit.rollout.worker-enabled=false}.
 */
@Component
@ConditionalOnProperty(prefix = "exit.rollout", name = "worker-enabled", havingValue = "true", matchIfMissing = true)
class WorkerSupervisor implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(WorkerSupervisor.class);

    private final TaskSpaceClient taskSpace;
    private final PolicyHolders policies;
    private final RolloutEngine engine;
    private final SamplingSettings sampling;
    private final RolloutProperties properties;
    private final RolloutMetrics metrics;
    private final Map<UUID, Running> loops = new ConcurrentHashMap<>();
    private ScheduledExecutorService poller;
    private ExecutorService workers;
    private volatile boolean running;

    private record Running(ExperimentLoop loop, Future<?> future) {}

    WorkerSupervisor(
            TaskSpaceClient taskSpace,
            PolicyHolders policies,
            RolloutEngine engine,
            SamplingSettings sampling,
            RolloutProperties properties,
            RolloutMetrics metrics) {
        this.taskSpace = taskSpace;
        this.policies = policies;
        this.engine = engine;
        this.sampling = sampling;
        this.properties = properties;
        this.metrics = metrics;
    }

    @Override
    public synchronized void start() {
        AtomicInteger n = new AtomicInteger();
        workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "rollout-loop-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rollout-poller");
            t.setDaemon(true);
            return t;
        });
        long period = properties.pollInterval().toMillis();
        poller.scheduleWithFixedDelay(this::poll, 0, period, TimeUnit.MILLISECONDS);
        running = true;
    }

    /** Starts a loop for every RUNNING experiment without a live one. */
    void poll() {
        try {
            for (ExperimentView view : taskSpace.listExperiments()) {
                if (view.status() != ExperimentStatus.RUNNING) {
                    continue;
                }
                loops.compute(view.id(), (id, current) -> {
                    if (current != null && !current.future().isDone()) {
                        return current;
                    }
                    var loop = new ExperimentLoop(id, taskSpace, policies, engine, sampling, properties, metrics);
                    return new Running(loop, workers.submit(loop));
                });
            }
        } catch (RestClientException e) {
            log.warn("task space at {} not reachable: {}", properties.taskServiceUrl(), e.getMessage());
        } catch (RuntimeException e) {
            log.error("polling the task space failed", e);
        }
    }

    /** Loops still running (for tests and the status page). */
    int loopCount() {
        return (int) loops.values().stream().filter(r -> !r.future().isDone()).count();
    }

    @Override
    public synchronized void stop() {
        running = false;
        poller.shutdownNow();
        loops.values().forEach(r -> r.loop().stop());
        workers.shutdown();
        try {
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
