package dev.exitrl.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.DriverManager;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class TestPostgresTest {

    @Test
    void explicitUrlWinsWithoutAskingDocker() {
        var asked = new AtomicBoolean();
        var source = TestPostgres.choose(Map.of(TestPostgres.URL_ENV, "jdbc:postgresql://db:5432/x"), () -> {
            asked.set(true);
            return true;
        });
        assertThat(source).isEqualTo(TestPostgres.Source.ENVIRONMENT);
        assertThat(asked).isFalse();
    }

    @Test
    void testcontainersWhenDockerAnswers() {
        assertThat(TestPostgres.choose(Map.of(), () -> true)).isEqualTo(TestPostgres.Source.TESTCONTAINERS);
    }

    @Test
    void embeddedWhenDockerIsAbsent() {
        assertThat(TestPostgres.choose(Map.of(), () -> false)).isEqualTo(TestPostgres.Source.EMBEDDED);
        assertThat(TestPostgres.choose(Map.of(TestPostgres.URL_ENV, " "), () -> false))
                .isEqualTo(TestPostgres.Source.EMBEDDED);
    }

    @Test
    void theChosenServerIsARealPostgresWithSeparateDatabases() throws Exception {
        if (System.getenv(TestPostgres.URL_ENV) == null && !TestPostgres.dockerAnswers()) {
            // This machine's real fallback path (CI has no Docker engine).
            assertThat(TestPostgres.source()).isEqualTo(TestPostgres.Source.EMBEDDED);
        }
        var a = TestPostgres.freshDatabase();
        var b = TestPostgres.freshDatabase();
        try (var ca = DriverManager.getConnection(a.jdbcUrl(), a.username(), a.password());
                var st = ca.createStatement()) {
            var rs = st.executeQuery("SELECT version(), current_database()");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).startsWith("PostgreSQL");
            if (a.source() != TestPostgres.Source.ENVIRONMENT) {
                assertThat(rs.getString(2)).isNotEqualTo(b.jdbcUrl().replaceAll(".*/([^/?]+).*", "$1"));
                st.execute("CREATE TABLE only_in_a (id int)");
                try (var cb = DriverManager.getConnection(b.jdbcUrl(), b.username(), b.password());
                        var sb = cb.createStatement()) {
                    var tables = sb.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_a'");
                    tables.next();
                    assertThat(tables.getInt(1)).isZero();
                }
            }
        }
    }
}
