package dev.exitrl.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.testsupport.OpenApiDocs;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The task-service's OpenAPI document: every operation summarised, the task-api records as schemas. */
class OpenApiDocumentTest extends TaskServiceTestBase {

    @Test
    void everyOperationHasASummaryAndTheContractRecordsAreSchemas() {
        JsonNode doc = OpenApiDocs.assertDocumented(
                port,
                "ExperimentProgress",
                "ExperimentView",
                "CreateExperiment",
                "StatusChange",
                "LeaseRequest",
                "LeaseView",
                "LeaseSlot",
                "SubmitGroup",
                "RolloutRecord",
                "SubmitOutcome",
                "ClaimRequest",
                "ClaimView",
                "AckRequest",
                "BufferStats",
                "EvaluationSummary",
                "EvaluationView");
        var operations = OpenApiDocs.operations(doc);
        // Every route of the task-api contract and the streamed ones beside it.
        assertThat(operations).hasSizeGreaterThanOrEqualTo(35);
        for (String verb : List.of("start", "pause", "resume", "stop")) {
            assertThat(doc.path("paths")
                            .path("/api/experiments/{experimentId}/" + verb)
                            .has("post"))
                    .as(verb)
                    .isTrue();
        }
        JsonNode progress = doc.path("paths")
                .path("/api/experiments/{experimentId}/progress")
                .path("get");
        assertThat(progress.path("responses").path("200").toString())
                .contains("#/components/schemas/ExperimentProgress");

        JsonNode schemas = doc.path("components").path("schemas");
        assertThat(schemas.path("ExperimentProgress").path("properties").propertyNames())
                .contains(
                        "experimentId",
                        "name",
                        "status",
                        "iteration",
                        "policyVersion",
                        "tokensGenerated",
                        "tokensTrained",
                        "meanRewardByStepKind",
                        "meanQualityByStepKind",
                        "bufferSize",
                        "depthHistogram",
                        "queueDepth",
                        "rolloutTokensPerSecond",
                        "trainTokensPerSecond",
                        "latestEvaluation",
                        "budget",
                        "fractionDone",
                        "etaSeconds");
        // Examples come with the records: a request a person can send as is.
        assertThat(schemas.path("CreateExperiment")
                        .path("properties")
                        .path("config")
                        .path("example")
                        .toString())
                .contains("countdown", "exit");
        assertThat(schemas.path("LeaseRequest")
                        .path("properties")
                        .path("workerId")
                        .path("example")
                        .asString())
                .isEqualTo("worker-1");
        assertThat(schemas.path("ExperimentProgress")
                        .path("properties")
                        .path("iteration")
                        .has("example"))
                .isTrue();
        // The acknowledgement's report is optional (old trainers send no body).
        JsonNode ack = doc.path("paths")
                .path("/api/experiments/{experimentId}/training/claims/{claimId}/ack")
                .path("post");
        assertThat(ack.path("requestBody").path("required").asBoolean(false)).isFalse();
    }
}
