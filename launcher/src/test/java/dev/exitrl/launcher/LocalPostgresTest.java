package dev.exitrl.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's PostgreSQL: a child process with fsync on and password authentication, secrets of mode 600, and
 * the two ways a launcher can die: its server still running (an orphan: stopped, never attached to) or gone with a
 * stale {@code postmaster.pid} (started normally).
 */
class LocalPostgresTest {
    @TempDir
    Path data;

    @Test
    void startsAsAChildStopsAnOrphanAndRecoversFromAStalePidFile() throws Exception {
        var secrets = Secrets.loadOrCreate(data);
        assertThat(Files.getPosixFilePermissions(secrets.dbPasswordFile()))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(secrets.apiKeyEntry()).matches("demo:write:[0-9a-f]{48}");
        assertThat(Secrets.loadOrCreate(data)).isEqualTo(secrets); // generated once, read back afterwards

        int port = freePort();
        var log = new ByteArrayOutputStream();
        var out = new PrintStream(log, true, StandardCharsets.UTF_8);
        var first = server(port, out);
        first.start(secrets, Duration.ofMinutes(2));
        Process firstProcess = first.process();
        assertThat(ProcessHandle.current().children().map(ProcessHandle::pid)).contains(firstProcess.pid());
        var conf = Files.readString(data.resolve("postgres").resolve("pg_hba.conf"));
        assertThat(conf).contains("scram-sha-256").doesNotContain(" trust");
        assertThat(String.join(" ", firstProcess.info().arguments().orElseThrow()))
                .contains("fsync=on");

        // A launcher killed with kill -9 leaves its server running: the next start stops it and starts its own.
        var second = server(port, out);
        second.start(secrets, Duration.ofMinutes(2));
        assertThat(firstProcess.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("stopping it (fast shutdown)");
        assertThat(second.process().pid()).isNotEqualTo(firstProcess.pid());
        assertThat(second.isAlive()).isTrue();

        // A server killed with kill -9 leaves postmaster.pid behind: the next start recovers and starts.
        second.process().destroyForcibly().waitFor();
        assertThat(data.resolve("postgres").resolve("postmaster.pid")).exists();
        var third = server(port, out);
        third.start(secrets, Duration.ofMinutes(2));
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("is no longer running");
        third.close();
        assertThat(third.isAlive()).isFalse();
        assertThat(data.resolve("postgres").resolve("postmaster.pid")).doesNotExist();
    }

    private LocalPostgres server(int port, PrintStream out) {
        return new LocalPostgres(
                data.resolve("pgsql"), data.resolve("postgres"), port, data.resolve("logs/postgres.log"), out);
    }

    private static int freePort() throws Exception {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
