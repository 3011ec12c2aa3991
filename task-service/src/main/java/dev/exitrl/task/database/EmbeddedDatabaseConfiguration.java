package dev.exitrl.task.database;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Local mode: when {@code exit.database.embedded.enabled=true}, start a real PostgreSQL server in-process
 * (its data directory survives restarts) and give the application a pooled DataSource on it. Production and
 * the tests use {@code spring.datasource.*} instead.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("exit.database.embedded.enabled")
class EmbeddedDatabaseConfiguration {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(EmbeddedDatabaseProperties properties) throws IOException {
        Files.createDirectories(properties.dataDir());
        var server = EmbeddedPostgres.builder()
                .setDataDirectory(properties.dataDir())
                .setCleanDataDirectory(false)
                .setPort(properties.port())
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
