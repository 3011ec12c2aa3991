package dev.exitrl.task.database;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Profile {@code local} without a launcher: when {@code exit.database.embedded.enabled=true} and no external database
 * is given ({@code EXIT_DB_URL}), start a real PostgreSQL server from this JVM (its data directory survives restarts)
 * and give the application a pooled DataSource on it. Production, the tests and the launcher ({@code ./exit},
 * which runs PostgreSQL as its own child process with password authentication and passes {@code EXIT_DB_URL}) use
 * {@code spring.datasource.*} instead.
 *
 * <p>Known limit of this in-process mode (why the launcher does not use it): zonky starts the server through
 * {@code pg_ctl}, detached, so a {@code kill -9} of this service leaves it running; it authenticates by trust. Its
 * fsync is turned back on here (zonky's default is off).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("${exit.database.embedded.enabled:false} && '${EXIT_DB_URL:}'.isEmpty()")
class EmbeddedDatabaseConfiguration {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(EmbeddedDatabaseProperties properties) throws IOException {
        Files.createDirectories(properties.dataDir());
        var server = EmbeddedPostgres.builder()
                .setDataDirectory(properties.dataDir())
                .setCleanDataDirectory(false)
                .setPort(properties.port())
                .setServerConfig("fsync", "on")
                .start();
        log.info(
                "Embedded PostgreSQL on port {} with data in {}",
                server.getPort(),
                properties.dataDir().toAbsolutePath());
        return server;
    }

    @Bean(destroyMethod = "close")
    DataSource dataSource(EmbeddedPostgres server) {
        var dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(server.getJdbcUrl("postgres", "postgres"));
        dataSource.setUsername("postgres");
        dataSource.setPassword("postgres");
        dataSource.setMaximumPoolSize(16);
        return dataSource;
    }
}
