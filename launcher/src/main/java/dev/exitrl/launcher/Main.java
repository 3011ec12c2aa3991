package dev.exitrl.launcher;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code ./exit local}: run the platform until Ctrl-C. {@code ./exit demo}: run it, train and evaluate the demo
 * experiment, print the result, stop. Paths are relative to the working directory (the repository root, where
 * {@code ./exit} runs it); {@code EXIT_DATA_DIR} and {@code EXIT_LOG_DIR} move the data and the logs.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "help" : args[0];
        PrintStream out = System.out;
        if (!command.equals("local") && !command.equals("demo")) {
            out.println("usage: ./exit demo   run the demo experiment (countdown, tiny model, warm-start + ExIt), "
                    + "evaluate it, stop");
            out.println("       ./exit local  run the platform on this machine until Ctrl-C (gateway: "
                    + "http://127.0.0.1:8080)");
            System.exit(command.equals("help") || command.equals("--help") ? 0 : 2);
        }
        Path root = Path.of("").toAbsolutePath();
        Path data = Path.of(env("EXIT_DATA_DIR", "data")).toAbsolutePath();
        Path logs = Path.of(env("EXIT_LOG_DIR", "logs")).toAbsolutePath();
        var demo = command.equals("demo") ? Demo.fromEnvironment(data, out) : null;
        var settings = new Platform.Settings(
                root,
                data,
                logs,
                Platform.Settings.defaultPorts(),
                List.of(env("EXIT_JAVA_OPTS", "").split(" ")).stream()
                        .filter(s -> !s.isBlank())
                        .toList(),
                demo == null ? Map.of() : demo.serviceArgs());
        var platform = new Platform(settings, out);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                platform.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        int status = 0;
        try {
            out.println("Starting the ExIt platform (data in " + data + ") ...");
            platform.start(Duration.ofMinutes(5));
            if (demo == null) {
                out.println("All services are up. Gateway: " + platform.gatewayUrl() + "/api/  API key: "
                        + platform.secrets().apiKeyFile() + "  (Ctrl-C stops everything)");
                out.println("  e.g. curl -H \"Authorization: Bearer $(cat "
                        + platform.secrets().apiKeyFile() + ")\" " + platform.gatewayUrl() + "/api/experiments");
                String failure = platform.failure().join();
                out.println("Stopping the platform because " + failure);
                status = 1;
            } else {
                status = demo.run(platform);
            }
        } catch (RuntimeException | InterruptedException e) {
            if (platform.stopping()) {
                status = 130; // Ctrl-C: the shutdown hook is stopping everything; what failed meanwhile is expected
            } else {
                out.println();
                out.println("ERROR: " + e.getMessage());
                status = 1;
            }
        } finally {
            platform.close();
        }
        System.exit(status);
    }

    static String env(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? otherwise : value;
    }
}
