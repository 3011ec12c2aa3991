package dev.exitrl.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One service started from its packaged Spring Boot jar as a separate JVM on a loopback port, its output in a log
 * file. Stopped with SIGTERM (Spring's graceful shutdown), then killed if it lingers. The launcher and the e2e tests
 * both start services with it.
 *
 * <p>Where {@code setsid} exists the JVM runs in its own session: a Ctrl-C in the terminal then reaches only the
 * launcher, which stops the services in order (services first, the database last) instead of every process at once.
 * {@code setsid} execs in place, so the process handle is the service's JVM itself.
 */
public final class ServiceProcess implements AutoCloseable {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    public final String name;
    public final int port;
    public final Path log;
    private final Process process;

    private ServiceProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /** Starts {@code module}'s jar on {@code port} with {@code jvmArgs} and Spring {@code args} ({@code --key=value}). */
    public static ServiceProcess start(
            Path root, String module, Path logDir, int port, List<String> jvmArgs, List<String> args)
            throws IOException {
        return start(root, module, logDir, port, jvmArgs, args, Map.of());
    }

    /** As above, with extra environment variables (secrets go here, not on the command line that ps shows). */
    public static ServiceProcess start(
            Path root,
            String module,
            Path logDir,
            int port,
            List<String> jvmArgs,
            List<String> args,
            Map<String, String> environment)
            throws IOException {
        Path jar = jarOf(root, module);
        var command = new ArrayList<String>();
        if (Files.isExecutable(SETSID)) {
            command.add(SETSID.toString());
        }
        command.add(javaExecutable());
        command.addAll(jvmArgs);
        command.add("-jar");
        command.add(jar.toString());
        command.add("--server.port=" + port);
        command.add("--server.address=127.0.0.1");
        command.addAll(args);
        Files.createDirectories(logDir);
        Path log = logDir.resolve(module + ".log");
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return new ServiceProcess(module, port, log, builder.start());
    }

    /** The java binary of the running JVM (services run on the same Java as the launcher or the test). */
    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Waits until the readiness probe answers 200; fails early if the process dies. */
    public void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log: " + tail());
            }
            if (isReady()) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(name + " not ready after " + timeout + "; log: " + tail());
    }

    /** Whether the readiness probe answers 200 now. */
    public boolean isReady() throws InterruptedException {
        try {
            var response = HTTP.send(
                    HttpRequest.newBuilder(url().resolve("/actuator/health/readiness"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Completes when the process exits, with its exit status. */
    public CompletableFuture<Integer> onExit() {
        return process.onExit().thenApply(Process::exitValue);
    }

    /** The last lines of the log, for failure messages. */
    public String tail() {
        return tail(log, 40);
    }

    static String tail(Path file, int lines) {
        try (Stream<String> all = Files.lines(file)) {
            var list = all.toList();
            return String.join("\n", list.subList(Math.max(0, list.size() - lines), list.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The Boot jar of {@code module} under {@code root/module/target}. */
    public static Path jarOf(Path root, String module) throws IOException {
        Path target = root.resolve(module).resolve("target");
        if (!Files.isDirectory(target)) {
            throw new IllegalStateException("no " + target + "; build with ./exit (or ./mvnw -B package -DskipTests)");
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().matches(module + "-[0-9].*\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            "no packaged jar in " + target + "; build with ./exit (or ./mvnw -B package -DskipTests)"));
        }
    }

    public static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
