package dev.exitrl.e2e;

import dev.exitrl.launcher.ServiceProcess;
import dev.exitrl.testsupport.TestTokens;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How the end-to-end tests start the services as separate processes: one definition of each service's flags, so the
 * loop test, the learning check and the dashboard test run the same services the same way.
 *
 * @param root the repository root (the services' jars are under it)
 * @param logs where each service's log goes
 * @param work scratch directory for PostgreSQL's data, checkpoints and caches
 */
record Services(Path root, Path logs, Path work) {

    /** JVM flags of the DJL services: offline (the CPU libtorch is bundled), one thread each on a small machine. */
    static final List<String> DJL = List.of(
            "-Xmx1g",
            "-Dai.djl.offline=true",
            "-Dai.djl.pytorch.num_threads=1",
            "-Dai.djl.pytorch.num_interop_threads=1");

    /** Environment, not a command-line argument: a secret in argv is visible to every user of the machine (ps). */
    static final Map<String, String> TOKEN = Map.of("EXIT_INTERNAL_TOKEN", TestTokens.INTERNAL_TOKEN);

    /** The task-service on the local profile with its embedded PostgreSQL in {@code work/postgres}. */
    ServiceProcess taskService(List<String> jvm) throws IOException {
        return ServiceProcess.start(
                root,
                "task-service",
                logs,
                ServiceProcess.freePort(),
                jvm,
                List.of(
                        "--spring.profiles.active=local",
                        "--exit.database.embedded.data-dir=" + work.resolve("postgres"),
                        "--exit.database.embedded.port=" + ServiceProcess.freePort()),
                TOKEN);
    }

    /** The trainer on the CPU, polling every second, checkpoints in {@code work/checkpoints}. */
    ServiceProcess trainer(URI taskService, int warmStartSteps) throws IOException {
        int port = ServiceProcess.freePort();
        return ServiceProcess.start(
                root,
                "trainer-service",
                logs,
                port,
                DJL,
                List.of(
                        "--exit.trainer.public-url=http://127.0.0.1:" + port,
                        "--exit.trainer.task-service-url=" + taskService,
                        "--exit.trainer.device=cpu",
                        "--exit.trainer.checkpoint-dir=" + work.resolve("checkpoints"),
                        "--exit.trainer.poll-interval=PT1S",
                        "--exit.trainer.warm-start.steps=" + warmStartSteps),
                TOKEN);
    }

    /** A rollout worker on the CPU, polling every second, seed 7. */
    ServiceProcess rollout(URI taskService, int maxNewTokens) throws IOException {
        return ServiceProcess.start(
                root,
                "rollout-service",
                logs,
                ServiceProcess.freePort(),
                DJL,
                List.of(
                        "--exit.rollout.task-service-url=" + taskService,
                        "--exit.rollout.device=cpu",
                        "--exit.rollout.cache-dir=" + work.resolve("rollout-cache"),
                        "--exit.rollout.poll-interval=PT1S",
                        "--exit.rollout.max-new-tokens=" + maxNewTokens,
                        "--exit.rollout.seed=7"),
                TOKEN);
    }
}
