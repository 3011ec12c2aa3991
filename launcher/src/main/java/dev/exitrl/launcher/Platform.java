package dev.exitrl.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The whole platform on one machine: PostgreSQL (a child of this process), task-service, trainer-service,
 * rollout-service and the gateway, each a separate JVM bound to 127.0.0.1, with the secrets of {@code data/secrets/}
 * passed in their environment. A service that exits while the platform runs is reported at once and completes
 * {@link #failure()}; {@link #close()} (also the shutdown hook, so on Ctrl-C) stops the services, then the database,
 * and leaves no process behind.
 *
 * <p>Only one launcher may run on a data directory ({@code data/launcher.lock}, released by the OS even on kill -9).
 * PIDs of the services are kept in {@code data/run/services.pids}: a launcher that was killed leaves its services
 * running, and the next start stops those first (SIGTERM) instead of failing on busy ports.
 */
public final class Platform implements AutoCloseable {
    public static final List<String> SERVICES =
            List.of("task-service", "trainer-service", "rollout-service", "gateway");

    /**
     * Where and how to run.
     *
     * @param root      the repository root (where the module jars are)
     * @param dataDir   database, checkpoints, caches, secrets
     * @param logDir    one log per process
     * @param ports     HTTP port per service name, and {@code postgres}
     * @param jvmArgs   extra JVM options of every service
     * @param extraArgs extra Spring arguments per service name
     */
    public record Settings(
            Path root,
            Path dataDir,
            Path logDir,
            Map<String, Integer> ports,
            List<String> jvmArgs,
            Map<String, List<String>> extraArgs) {

        public static Map<String, Integer> defaultPorts() {
            return Map.of(
                    "gateway", 8080,
                    "task-service", 8081,
                    "rollout-service", 8082,
                    "trainer-service", 8083,
                    "postgres", 54329);
        }
    }

    private final Settings settings;
    private final PrintStream out;
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private final CompletableFuture<String> failure = new CompletableFuture<>();
    private volatile boolean stopping;
    private LocalPostgres postgres;
    private Secrets secrets;
    private FileChannel lockChannel;
    private FileLock lock;
    private boolean closed;

    public Platform(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    public Secrets secrets() {
        return secrets;
    }

    public URI gatewayUrl() {
        return URI.create("http://127.0.0.1:" + settings.ports().get("gateway"));
    }

    public ServiceProcess service(String name) {
        return services.get(name);
    }

    /** The database server process (a child of this JVM). */
    public Process postgresProcess() {
        return postgres.process();
    }

    /** Whether {@link #close()} has begun (Ctrl-C or the end of a run): failing calls are then expected. */
    public boolean stopping() {
        return stopping;
    }

    /** Completes with a message when a process of the platform exits while it should be running. */
    public CompletableFuture<String> failure() {
        return failure;
    }

    /** Starts everything and waits until each service answers its readiness probe. */
    public void start(Duration timeout) throws IOException, InterruptedException {
        long started = System.nanoTime();
        Files.createDirectories(settings.dataDir());
        lock();
        secrets = Secrets.loadOrCreate(settings.dataDir());
        stopLeftoverServices();
        checkPortsFree();

        postgres = new LocalPostgres(
                settings.dataDir().resolve("pgsql"),
                settings.dataDir().resolve("postgres"),
                settings.ports().get("postgres"),
                settings.logDir().resolve("postgres.log"),
                out);
        postgres.start(secrets, timeout);
        out.printf(
                "  postgres         ready on 127.0.0.1:%d (%s)%n",
                settings.ports().get("postgres"), since(started));
        watch(
                "postgres",
                postgres.process().onExit().thenApply(Process::exitValue),
                settings.logDir().resolve("postgres.log"));

        for (String name : SERVICES) {
            var service = ServiceProcess.start(
                    settings.root(),
                    name,
                    settings.logDir(),
                    settings.ports().get(name),
                    jvmArgs(name),
                    args(name),
                    environment(name));
            services.put(name, service);
            watch(name, service.onExit(), service.log);
        }
        writePids();
        out.println("  starting " + String.join(", ", SERVICES) + " (logs in " + settings.logDir() + ") ...");
        var waiting = new ArrayList<>(services.values());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!waiting.isEmpty()) {
            if (failure.isDone()) {
                throw new IllegalStateException(failure.join());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        waiting.get(0).name + " not ready after " + timeout + "; see " + waiting.get(0).log);
            }
            for (var it = waiting.iterator(); it.hasNext(); ) {
                var service = it.next();
                if (service.isReady()) {
                    out.printf("  %-16s ready on %s (%s)%n", service.name, service.url(), since(started));
                    it.remove();
                }
            }
            Thread.sleep(500);
        }
    }

    private List<String> jvmArgs(String name) {
        var args = new ArrayList<String>();
        if (name.equals("trainer-service") || name.equals("rollout-service")) {
            // Two model JVMs share the machine: each gets half the cores for libtorch's intra-op pool.
            int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
            args.addAll(List.of(
                    "-Xmx1g",
                    "-Dai.djl.offline=true",
                    "-Dai.djl.pytorch.num_threads=" + threads,
                    "-Dai.djl.pytorch.num_interop_threads=1"));
        } else {
            args.add("-Xmx512m");
        }
        args.addAll(settings.jvmArgs());
        return args;
    }

    private List<String> args(String name) {
        var ports = settings.ports();
        String task = "http://127.0.0.1:" + ports.get("task-service");
        String trainer = "http://127.0.0.1:" + ports.get("trainer-service");
        String rollout = "http://127.0.0.1:" + ports.get("rollout-service");
        Path data = settings.dataDir();
        var args = new ArrayList<String>();
        switch (name) {
            case "trainer-service" ->
                args.addAll(List.of(
                        "--exit.trainer.task-service-url=" + task,
                        "--exit.trainer.public-url=" + trainer,
                        "--exit.trainer.checkpoint-dir=" + data.resolve("checkpoints")));
            case "rollout-service" ->
                args.addAll(List.of(
                        "--exit.rollout.task-service-url=" + task,
                        "--exit.rollout.trainer-service-url=" + trainer,
                        "--exit.rollout.cache-dir=" + data.resolve("rollout-cache")));
            case "gateway" ->
                args.addAll(List.of(
                        "--exit.gateway.services.task-service=" + task,
                        "--exit.gateway.services.rollout-service=" + rollout,
                        "--exit.gateway.services.trainer-service=" + trainer));
            default -> {}
        }
        args.addAll(settings.extraArgs().getOrDefault(name, List.of()));
        return args;
    }

    /** Secrets travel in the environment, not on command lines (which every local user can read with ps). */
    private Map<String, String> environment(String name) {
        var env = new LinkedHashMap<String, String>();
        env.put("EXIT_INTERNAL_TOKEN", secrets.internalToken());
        switch (name) {
            case "task-service" -> {
                env.put("EXIT_DB_URL", postgres.jdbcUrl());
                env.put("EXIT_DB_USER", LocalPostgres.USER);
                env.put("EXIT_DB_PASSWORD", secrets.dbPassword());
            }
            case "gateway" -> env.put("EXIT_GATEWAY_API_KEYS", secrets.apiKeyEntry());
            default -> {}
        }
        return env;
    }

    private void watch(String name, CompletableFuture<Integer> exit, Path log) {
        exit.thenAccept(status -> {
            if (stopping) {
                return;
            }
            String message = name + " exited unexpectedly (status " + status + "); last lines of " + log + ":\n"
                    + ServiceProcess.tail(log, 25);
            out.println();
            out.println("ERROR: " + message);
            failure.complete(name + " exited unexpectedly (status " + status + "); see " + log);
        });
    }

    private void lock() throws IOException {
        Path lockFile = settings.dataDir().resolve("launcher.lock");
        lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        lock = lockChannel.tryLock();
        if (lock == null) {
            lockChannel.close();
            throw new IllegalStateException("another launcher is running on " + settings.dataDir() + " (it holds "
                    + lockFile + "); stop it first");
        }
    }

    private Path pidsFile() {
        return settings.dataDir().resolve("run").resolve("services.pids");
    }

    private void writePids() throws IOException {
        Files.createDirectories(pidsFile().getParent());
        var lines = new ArrayList<String>();
        services.forEach((name, service) -> lines.add(name + " " + service.pid()));
        Files.write(pidsFile(), lines);
    }

    /** Services of a launcher that was killed (kill -9) still run: stop them, as their launcher would have. */
    private void stopLeftoverServices() throws InterruptedException, IOException {
        if (!Files.exists(pidsFile())) {
            return;
        }
        for (String line : Files.readAllLines(pidsFile())) {
            String[] parts = line.split(" ");
            if (parts.length != 2) {
                continue;
            }
            var handle = ProcessHandle.of(Long.parseLong(parts[1]))
                    .filter(ProcessHandle::isAlive)
                    .filter(h -> h.info()
                            .arguments()
                            .map(a -> String.join(" ", a))
                            .orElse("")
                            .contains(parts[0]));
            if (handle.isPresent()) {
                out.println("Stopping " + parts[0] + " (pid " + parts[1] + ") left running by an earlier launcher ...");
                handle.get().destroy();
                try {
                    handle.get().onExit().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    handle.get().destroyForcibly();
                }
            }
        }
        Files.delete(pidsFile());
    }

    private void checkPortsFree() {
        settings.ports().forEach((name, port) -> {
            try (var socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress("127.0.0.1", port));
            } catch (IOException e) {
                throw new IllegalStateException("port " + port + " (for " + name + ") is in use on 127.0.0.1: is "
                        + "another ExIt platform running? (" + e.getMessage() + ")");
            }
        });
    }

    /** Stops the services (gateway first, task-service last), then PostgreSQL. Safe to call twice. */
    @Override
    public synchronized void close() throws InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        stopping = true;
        if (!services.isEmpty() || postgres != null) {
            out.println();
            out.println("Stopping services ...");
        }
        var reversed = new ArrayList<>(services.values());
        Collections.reverse(reversed);
        // Everything but task-service at once, then task-service, so that nothing writes to a stopping task space.
        var stops = new ArrayList<CompletableFuture<Void>>();
        for (var service : reversed) {
            if (!service.name.equals("task-service")) {
                stops.add(CompletableFuture.runAsync(() -> stopQuietly(service)));
            }
        }
        stops.forEach(CompletableFuture::join);
        if (services.containsKey("task-service")) {
            stopQuietly(services.get("task-service"));
        }
        if (postgres != null) {
            postgres.close();
            out.println("  postgres stopped");
        }
        try {
            Files.deleteIfExists(pidsFile());
            if (lock != null) {
                lock.release();
                lockChannel.close();
            }
        } catch (IOException e) {
            out.println("  (could not clean up " + pidsFile() + ": " + e.getMessage() + ")");
        }
    }

    private void stopQuietly(ServiceProcess service) {
        try {
            service.close();
            out.println("  " + service.name + " stopped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String since(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000_000 + " s";
    }
}
