package dev.exitrl.launcher;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.util.ArchUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.io.FileUtils;
import org.tukaani.xz.XZInputStream;

/**
 * The local platform's PostgreSQL server, run by the launcher itself as its child process.
 *
 * <p>Why not zonky's {@code EmbeddedPostgres} inside task-service (what the {@code local} profile did): it starts the
 * server through {@code pg_ctl start}, which detaches it, so a {@code kill -9} of task-service left the server
 * orphaned holding {@code postmaster.pid}; and it runs with {@code -F} (fsync off) and trust authentication. Here
 * only zonky's binaries (the same Maven Central artifact) are used: {@code initdb} with SCRAM password
 * authentication and a generated password, then {@code postgres} itself as a direct child (fsync on, loopback
 * only, no Unix socket). A stale {@code postmaster.pid} whose process still runs is an orphan of a launcher that was
 * killed: it is stopped with a fast shutdown (SIGINT: clean, no crash recovery) before the new server starts; the
 * launcher never attaches to it.
 */
final class LocalPostgres implements AutoCloseable {
    static final String USER = "exit";
    static final String DATABASE = "exit";

    private static final Path UNSHARE = Path.of("/usr/bin/unshare");
    private static final boolean AS_ROOT = isRoot();

    private final Path binaries;
    private final Path dataDir;
    private final int port;
    private final Path log;
    private final PrintStream out;
    private Process process;

    LocalPostgres(Path binaries, Path dataDir, int port, Path log, PrintStream out) {
        this.binaries = binaries;
        this.dataDir = dataDir;
        this.port = port;
        this.log = log;
        this.out = out;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    /** Unpacks the binaries if needed, initialises the data directory once, stops an orphan, starts the server. */
    void start(Secrets secrets, Duration timeout) throws IOException, InterruptedException {
        unpackBinaries();
        if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
            initialise(secrets);
        }
        stopOrphan();
        Files.createDirectories(log.getParent());
        process = new ProcessBuilder(command(
                        bin("postgres"),
                        "-D",
                        dataDir.toString(),
                        "-p",
                        Integer.toString(port),
                        "-c",
                        "listen_addresses=127.0.0.1",
                        "-c",
                        "unix_socket_directories=",
                        "-c",
                        "fsync=on",
                        "-c",
                        "synchronous_commit=on",
                        "-c",
                        "max_connections=100"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        awaitReady(timeout);
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    Process process() {
        return process;
    }

    /** Fast shutdown (SIGINT via pg_ctl): active sessions are ended, the server checkpoints and exits. */
    @Override
    public void close() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            run(command(bin("pg_ctl"), "stop", "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "60"));
        } catch (IOException | IllegalStateException e) {
            process.destroy(); // SIGTERM: smart shutdown
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The PID recorded in {@code postmaster.pid} if that process is alive and is a postgres server. */
    Optional<ProcessHandle> orphan() throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            return Optional.empty();
        }
        long pid = Long.parseLong(lines.get(0).strip());
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(handle -> handle.info().command().orElse("").endsWith("postgres"));
    }

    private void stopOrphan() throws IOException, InterruptedException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        var orphan = orphan();
        if (orphan.isEmpty()) {
            // The server that wrote it is gone (crash or kill -9 of everything): postgres itself checks the PID
            // and replaces a stale file; WAL replay makes the data consistent.
            out.println("Found a stale " + pidFile + " (its server is no longer running); starting normally.");
            return;
        }
        long pid = orphan.get().pid();
        out.println("PostgreSQL (pid " + pid + ") is still running on " + dataDir
                + " from an earlier launcher that did not shut down; stopping it (fast shutdown) before starting ...");
        run(command(bin("pg_ctl"), "stop", "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "60"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (orphan.get().isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        if (orphan.get().isAlive()) {
            throw new IllegalStateException("the orphaned PostgreSQL (pid " + pid + ") did not stop; stop it with: "
                    + bin("pg_ctl") + " stop -D " + dataDir + " -m fast");
        }
        out.println("Stopped the orphaned PostgreSQL (pid " + pid + ").");
    }

    private void initialise(Secrets secrets) throws IOException, InterruptedException {
        if (Files.isDirectory(dataDir)) {
            try (var entries = Files.list(dataDir)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalStateException(dataDir + " is not empty but holds no database; move it away");
                }
            }
        }
        out.println("Initialising PostgreSQL in " + dataDir + " (password authentication) ...");
        Files.createDirectories(dataDir.getParent());
        Path tmp = dataDir.resolveSibling(dataDir.getFileName() + ".init");
        FileUtils.deleteDirectory(tmp.toFile());
        run(command(
                bin("initdb"),
                "-D",
                tmp.toString(),
                "-U",
                USER,
                "--pwfile=" + secrets.dbPasswordFile(),
                "--auth=scram-sha-256",
                "-E",
                "UTF8",
                "--no-locale"));
        // The database task-service uses, created in single-user mode (no server, no network, no password needed).
        var single = new ProcessBuilder(command(bin("postgres"), "--single", "-D", tmp.toString(), "postgres"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        single.getOutputStream()
                .write(("CREATE DATABASE " + DATABASE + " OWNER " + USER + ";\n").getBytes(StandardCharsets.UTF_8));
        single.getOutputStream().close();
        if (single.waitFor() != 0) {
            throw new IllegalStateException("creating the database failed; see " + log);
        }
        if (Files.isDirectory(dataDir)) {
            Files.delete(dataDir);
        }
        Files.move(tmp, dataDir, StandardCopyOption.ATOMIC_MOVE);
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Path pidFile = dataDir.resolve("postmaster.pid");
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "PostgreSQL exited with " + process.exitValue() + ":\n" + ServiceProcess.tail(log, 20));
            }
            // Line 8 of postmaster.pid is the server's status; "ready" once it accepts connections.
            if (Files.exists(pidFile)) {
                List<String> lines = Files.readAllLines(pidFile);
                if (lines.size() >= 8
                        && lines.get(0).strip().equals(Long.toString(process.pid()))
                        && lines.get(7).strip().equals("ready")
                        && accepts()) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("PostgreSQL not ready after " + timeout + "; see " + log);
    }

    private boolean accepts() {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        var p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(
                    Path.of(command.get(0)).getFileName() + " failed:\n" + ServiceProcess.tail(log, 20));
        }
    }

    private String bin(String name) {
        return binaries.resolve("bin").resolve(name).toString();
    }

    /**
     * PostgreSQL refuses to run as root. As root (containers, CI) every PostgreSQL binary runs under {@code unshare
     * -U}, in a user namespace where it is not root (what zonky does too); unshare execs in place, so the server is
     * still this process's child with the same PID.
     */
    private static List<String> command(String... args) {
        var command = new ArrayList<String>();
        if (AS_ROOT && Files.isExecutable(UNSHARE)) {
            command.addAll(List.of(UNSHARE.toString(), "-U"));
        }
        command.addAll(List.of(args));
        return command;
    }

    private static boolean isRoot() {
        try {
            return Files.getOwner(Path.of("/proc/self")).getName().equals("root");
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** Unpacks zonky's PostgreSQL archive for this OS and CPU into {@code binaries} once (atomically). */
    private void unpackBinaries() throws IOException {
        if (Files.exists(binaries.resolve(".complete"))) {
            return;
        }
        out.println("Unpacking the PostgreSQL binaries into " + binaries + " ...");
        Path tmp = binaries.resolveSibling(binaries.getFileName() + ".tmp");
        FileUtils.deleteDirectory(tmp.toFile());
        Files.createDirectories(tmp);
        String system = System.getProperty("os.name").startsWith("Mac") ? "Darwin" : "Linux";
        try (InputStream archive = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(
                        system, ArchUtils.normalize(System.getProperty("os.arch")));
                var tar = new TarArchiveInputStream(new XZInputStream(archive))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path target = tmp.resolve(entry.getName()).normalize();
                if (!target.startsWith(tmp)) {
                    throw new IOException("archive entry outside its directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(target.getParent());
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                    if ((entry.getMode() & 0100) != 0) {
                        target.toFile().setExecutable(true, false);
                    }
                }
            }
        }
        Files.createFile(tmp.resolve(".complete"));
        FileUtils.deleteDirectory(binaries.toFile());
        Files.move(tmp, binaries, StandardCopyOption.ATOMIC_MOVE);
    }
}
