package dev.exitrl.task;

import dev.exitrl.testsupport.TestPostgres;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Points a Spring test context at its own database on the real test PostgreSQL (see {@link TestPostgres}). */
public final class TestDatabase {
    private TestDatabase() {}

    public static void register(DynamicPropertyRegistry registry) {
        var db = TestPostgres.freshDatabase();
        registry.add("spring.datasource.url", db::jdbcUrl);
        registry.add("spring.datasource.username", db::username);
        registry.add("spring.datasource.password", db::password);
    }
}
