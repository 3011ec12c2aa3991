package dev.exitrl.task;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the task-service integration tests: one running service on a random port with its own database on the
 * real test PostgreSQL. Subclasses share one cached Spring context; each test works in experiments of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class TaskServiceTestBase {
    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry);
        // Tests that need the expiry reaper call it; a scheduled run in the middle of a test would change what
        // the test counts (expired leases, claimed groups).
        registry.add("exit.task.reap-interval", () -> "PT1H");
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcClient jdbc;

    protected TaskSpaceApi api;

    @BeforeEach
    void client() {
        api = new TaskSpaceApi(port);
    }
}
