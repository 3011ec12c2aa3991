package dev.exitrl.taskapi;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
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
@Tag(name = "Evaluations", description = "K-step self-improvement evaluations")
@HttpExchange
public interface EvaluationsApi {
    @Operation(summary = "Open an evaluation record for a policy version")
    @PostExchange("/api/experiments/{experimentId}/evaluations")
    ResponseEntity<EvaluationView> createEvaluation(
            @PathVariable UUID experimentId, @Valid @RequestBody CreateEvaluation request);

    @Operation(summary = "List an experiment's evaluations")
    @GetExchange("/api/experiments/{experimentId}/evaluations")
    List<EvaluationView> listEvaluations(@PathVariable UUID experimentId);

    @Operation(summary = "Append per-step results (identical re-posts are no-ops)")
    @PostExchange("/api/evaluations/{evaluationId}/results")
    ResultsAppended postResults(@PathVariable UUID evaluationId, @Valid @RequestBody PostResults request);

    @Operation(summary = "Mark an evaluation completed")
    @PostExchange("/api/evaluations/{evaluationId}/complete")
    EvaluationView completeEvaluation(@PathVariable UUID evaluationId);

    @Operation(summary = "Mark an evaluation failed")
    @PostExchange("/api/evaluations/{evaluationId}/fail")
    EvaluationView failEvaluation(@PathVariable UUID evaluationId);

    @Operation(summary = "Per-step mean quality and accuracy, deltaK and net corrections")
    @GetExchange("/api/evaluations/{evaluationId}")
    EvaluationSummary evaluationSummary(@PathVariable UUID evaluationId);
}
