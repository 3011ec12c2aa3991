package dev.exitrl.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.exitrl.testsupport.OpenApiDocs;
import dev.exitrl.testsupport.ServiceProbe;
import dev.exitrl.testsupport.TestTokens;
import java.util.ArrayList;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/** The trainer as bin/exit-local starts it (profile local): probes, metrics, the internal token, loopback only. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("local")
@ExtendWith(OutputCaptureExtension.class)
class TrainerServiceApplicationTest {
    @LocalServerPort
    int port;

    @Test
    void prometheusEndpointCarriesCommonTags() {
        ServiceProbe.assertCommonTags(port, "trainer-service");
    }

    @Test
    void livenessAndReadinessProbesAreUp() {
        ServiceProbe.assertProbesUp(port);
    }

    @Test
    void statusShowsTheBoundConfiguration() {
        assertThat(get("/api/trainer/status"))
                .contains("\"device\":\"auto\"")
                .contains("checkpoints")
                .contains("\"precision\":\"fp32\"");
    }

    @Test
    void directCallsWithoutTheInternalTokenAreRefused() {
        ServiceProbe.assertRefusedWithoutToken(port, "GET", "/api/trainer/status");
        ServiceProbe.assertRefusedWithoutToken(
                port, "GET", "/api/trainer/experiments/" + UUID.randomUUID() + "/checkpoints/1");
    }

    @Test
    void localModeListensOnLoopbackOnly() {
        assertThat(ServiceProbe.assertLoopbackOnly(port)).isPositive();
    }

    @Test
    void theTokenAppearsNeitherInTheLogNorInActuatorAnswers(CapturedOutput output) {
        ServiceProbe.assertRefusedWithoutToken(port, "POST", "/api/trainer/status");
        var answers = new ArrayList<String>();
        for (String path :
                new String[] {"/actuator/health", "/actuator/prometheus", "/actuator/info", "/actuator/metrics"}) {
            answers.add(get(path));
        }
        // Not exposed: 404 even with the token.
        for (String path : new String[] {"/actuator/env", "/actuator/configprops"}) {
            var error = catchThrowable(() -> get(path));
            assertThat(error).as(path).hasMessageContaining("answered 404");
            answers.add(error.getMessage());
        }
        for (String text : answers) {
            assertThat(text).doesNotContain(TestTokens.INTERNAL_TOKEN);
        }
        assertThat(output.getAll()).doesNotContain(TestTokens.INTERNAL_TOKEN);
    }

    @Test
    void openApiDocumentSummarisesEveryOperation() {
        OpenApiDocs.assertDocumented(port, "CheckpointList", "Status");
    }

    private String get(String path) {
        return ServiceProbe.getOk(port, path);
    }
}
