package dev.exitrl.gateway;

import dev.exitrl.testsupport.ServiceProbe;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
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
}
