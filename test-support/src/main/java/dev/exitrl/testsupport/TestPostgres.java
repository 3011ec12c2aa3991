package dev.exitrl.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A real PostgreSQL for tests, chosen in this order:
 * <ol>
 *   <li>an explicit JDBC URL from the environment ({@value #URL_ENV}, with {@value #USER_ENV} and
 *       {@value #PASSWORD_ENV}); tests then share that database;</li>
 *   <li>a Testcontainers PostgreSQL when a Docker engine answers;</li>
 *   <li>otherwise an embedded PostgreSQL server started from binaries shipped on Maven Central (zonky).</li>
 * </ol>
 * One server is started per JVM and stopped at exit. {@link #freshDatabase()} gives each test class its own
 * empty database on that server (except for an explicit URL, which is used as given).
 */
public final class TestPostgres {
    public static final String URL_ENV = "EXIT_TEST_JDBC_URL";
    public static final String USER_ENV = "EXIT_TEST_JDBC_USER";
    public static final String PASSWORD_ENV = "EXIT_TEST_JDBC_PASSWORD";
    static final String POSTGRES_IMAGE = "postgres:17-alpine";

    /** Where the test database comes from. */
    public enum Source {
        ENVIRONMENT,
        TESTCONTAINERS,
        EMBEDDED
    }

    /** How to reach one database. */
    public record Connection(Source source, String jdbcUrl, String username, String password) {}

    private static final AtomicInteger DATABASE_COUNTER = new AtomicInteger();
    private static Server server;

    private TestPostgres() {}

    /** The selection rule, kept pure so it can be tested without touching Docker or the environment. */
    static Source choose(Map<String, String> environment, BooleanSupplier dockerAvailable) {
        String url = environment.get(URL_ENV);
        if (url != null && !url.isBlank()) {
            return Source.ENVIRONMENT;
        }
        return dockerAvailable.getAsBoolean() ? Source.TESTCONTAINERS : Source.EMBEDDED;
    }

    static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** The source this JVM uses (starting the server on first use). */
    public static synchronized Source source() {
        return server().source();
    }

    /** A database of its own for the caller: a new empty database on the shared server. */
    public static synchronized Connection freshDatabase() {
        Server s = server();
        if (s.source() == Source.ENVIRONMENT) {
            return s.admin();
        }
        String name = "exit_test_" + ProcessHandle.current().pid() + "_" + DATABASE_COUNTER.incrementAndGet();
        try (var c = DriverManager.getConnection(
                        s.admin().jdbcUrl(), s.admin().username(), s.admin().password());
                var st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name, e);
        }
        String url = s.admin().jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");
        return new Connection(s.source(), url, s.admin().username(), s.admin().password());
    }

    private static Server server() {
        if (server == null) {
            server = start(choose(System.getenv(), TestPostgres::dockerAnswers));
            Runtime.getRuntime().addShutdownHook(new Thread(server.stopper()));
        }
        return server;
    }

    private static Server start(Source source) {
        return switch (source) {
            case ENVIRONMENT ->
                new Server(
                        source,
                        new Connection(
                                source,
                                System.getenv(URL_ENV),
                                System.getenv().getOrDefault(USER_ENV, "postgres"),
                                System.getenv().getOrDefault(PASSWORD_ENV, "")),
                        () -> {});
            case TESTCONTAINERS -> {
                var container = new PostgreSQLContainer(POSTGRES_IMAGE);
                container.start();
                yield new Server(
                        source,
                        new Connection(
                                source, container.getJdbcUrl(), container.getUsername(), container.getPassword()),
                        container::stop);
            }
            case EMBEDDED -> {
                try {
                    EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
                    yield new Server(
                            source,
                            new Connection(source, pg.getJdbcUrl("postgres", "postgres"), "postgres", "postgres"),
                            () -> closeQuietly(pg));
                } catch (IOException e) {
                    throw new UncheckedIOException("could not start embedded PostgreSQL", e);
                }
            }
        };
    }

    private static void closeQuietly(EmbeddedPostgres pg) {
        try {
            pg.close();
        } catch (IOException ignored) {
            // the JVM is exiting; the server's own shutdown hook cleans its data directory
        }
    }

    private record Server(Source source, Connection admin, Runnable stopper) {}
}
