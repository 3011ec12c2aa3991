package dev.exitrl.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.testsupport.ServiceProbe;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;

/**
 * Profile local (bin/exit-local) binds the task-service to loopback. Its embedded PostgreSQL is replaced by the test
 * database here: the binding is what is checked.
 */
@ActiveProfiles("local")
@TestPropertySource(properties = "exit.database.embedded.enabled=false")
class LocalModeTest extends TaskServiceTestBase {
    @Test
    void localModeListensOnLoopbackOnly() {
        assertThat(ServiceProbe.assertLoopbackOnly(port)).isPositive();
        ServiceProbe.assertProbesUp(port);
    }
}
