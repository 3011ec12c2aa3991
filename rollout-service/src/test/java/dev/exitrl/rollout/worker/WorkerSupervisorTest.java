package dev.exitrl.rollout.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.core.experiment.ExperimentConfig;
import dev.exitrl.core.experiment.Preset;
import dev.exitrl.rollout.RolloutProperties;
import dev.exitrl.rollout.engine.RolloutEngine;
import dev.exitrl.rollout.engine.SamplingSettings;
import dev.exitrl.rollout.engine.SingleTurnEnvironment;
import dev.exitrl.taskapi.ExperimentStatus;
import dev.exitrl.taskapi.ExperimentView;
import dev.exitrl.taskapi.TaskSpaceClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor starts a loop for each RUNNING experiment only; a loop whose experiment stops running ends. */
class WorkerSupervisorTest {
    @TempDir
    Path dir;

    final UUID running = UUID.randomUUID();
    final UUID paused = UUID.randomUUID();
    final Map<UUID, ExperimentStatus> status = new ConcurrentHashMap<>();
    final List<String> calls = new CopyOnWriteArrayList<>();

    ExperimentView view(UUID id) {
        return new ExperimentView(
                id,
                "e",
                "countdown",
                "grpo",
                status.get(id),
                1,
                0,
                null,
                null,
                ExperimentConfig.defaults("countdown", Preset.GRPO),
                Instant.now(),
                Instant.now());
    }

    TaskSpaceClient fakeTaskSpace() {
        return (TaskSpaceClient) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {TaskSpaceClient.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "listExperiments":
                            calls.add("list");
                            return List.of(view(running), view(paused));
                        case "getExperiment":
                            calls.add("get " + args[0]);
                            return view((UUID) args[0]);
                        default:
                            calls.add(method.getName());
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    @Test
    void oneLoopPerRunningExperiment_waitingForACheckpoint_endingWhenTheExperimentStops() throws Exception {
        status.put(running, ExperimentStatus.RUNNING);
        status.put(paused, ExperimentStatus.PAUSED);
        var properties = new RolloutProperties(
                URI.create("http://unused"),
                URI.create("http://unused"),
                "w1",
                "cpu",
                4,
                8,
                1.0,
                1.0,
                1L,
                16,
                0,
                Duration.ofMillis(20),
                dir,
                Duration.ofSeconds(5),
                2,
                true);
        var metrics = new RolloutMetrics(new SimpleMeterRegistry());
        try (var holders = new PolicyHolders(properties, metrics)) {
            var supervisor = new WorkerSupervisor(
                    fakeTaskSpace(),
                    holders,
                    new RolloutEngine(new SingleTurnEnvironment(), null),
                    new SamplingSettings(8, 1.0, 1.0, 1),
                    properties,
                    metrics);
            supervisor.start();
            try {
                waitFor(() ->
                        calls.stream().filter(c -> c.equals("get " + running)).count() >= 3);
                // No checkpoint announced: the loop polls its experiment and asks for nothing else.
                assertThat(calls).allMatch(c -> c.equals("list") || c.equals("get " + running));

                status.put(running, ExperimentStatus.PAUSED);
                waitFor(() -> supervisor.loopCount() == 0);
                int after = calls.size();
                Thread.sleep(200);
                assertThat(calls.subList(after, calls.size())).containsOnly("list");
            } finally {
                supervisor.stop();
            }
            assertThat(supervisor.isRunning()).isFalse();
        }
    }

    static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in 30 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
