package dev.exitrl.task.database;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Local mode's embedded PostgreSQL ({@code exit.database.embedded.*}): a real server started from binaries
 * shipped on Maven Central, keeping its data in {@code dataDir} so that a restarted run finds its task space.
 *
 * @param enabled start the embedded server and use it instead of {@code spring.datasource.*}
 * @param dataDir where the server keeps its files (kept across restarts)
 * @param port the loopback port it listens on
 */
@Validated
@ConfigurationProperties("exit.database.embedded")
record EmbeddedDatabaseProperties(
        @DefaultValue("false") boolean enabled,
        @NotNull @DefaultValue("data/postgres") Path dataDir,
        @Min(1024) @Max(65535) @DefaultValue("54329") int port) {}
