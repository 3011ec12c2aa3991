package dev.exitrl.taskapi;

import jakarta.validation.Valid;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;

/**
 * K-step self-improvement evaluations: opened and fed by the rollout-service, read by people. The raw rows as CSV
 * ({@code GET /api/evaluations/{id}/results.csv}) are streamed beside this interface.
 */
@HttpExchange
public interface EvaluationsApi {
    @PostExchange("/api/experiments/{experimentId}/evaluations")
    ResponseEntity<EvaluationView> createEvaluation(
            @PathVariable UUID experimentId, @Valid @RequestBody CreateEvaluation request);

    @GetExchange("/api/experiments/{experimentId}/evaluations")
    List<EvaluationView> listEvaluations(@PathVariable UUID experimentId);

    @PostExchange("/api/evaluations/{evaluationId}/results")
    ResultsAppended postResults(@PathVariable UUID evaluationId, @Valid @RequestBody PostResults request);

    @PostExchange("/api/evaluations/{evaluationId}/complete")
    EvaluationView completeEvaluation(@PathVariable UUID evaluationId);

    @PostExchange("/api/evaluations/{evaluationId}/fail")
    EvaluationView failEvaluation(@PathVariable UUID evaluationId);

    @GetExchange("/api/evaluations/{evaluationId}")
    EvaluationSummary evaluationSummary(@PathVariable UUID evaluationId);
}
