package dev.exitrl.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.testsupport.ServiceProbe;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/** The gateway as bin/exit-local starts it (profile local): probes, metrics, loopback only. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "exit.gateway.api-keys=ci:write:app-test-key-0123456789",
            "exit.internal-token=app-test-internal-token-0123456789"
        })
@ActiveProfiles("local")
class GatewayApplicationTest {
    @LocalServerPort
    int port;

    @Test
    void prometheusEndpointCarriesCommonTags() {
        ServiceProbe.assertCommonTags(port, "gateway");
    }

    @Test
    void livenessAndReadinessProbesAreUp() {
        ServiceProbe.assertProbesUp(port);
    }

    @Test
    void localModeListensOnLoopbackOnly() {
        // This machine has another address to try (a container's eth0 at least); on one without, only the
        // loopback half would be checked.
        assertThat(ServiceProbe.assertLoopbackOnly(port)).isPositive();
    }
}
