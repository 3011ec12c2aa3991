package dev.exitrl.task.evaluation;

import dev.exitrl.core.domain.Split;
import dev.exitrl.taskapi.CreateEvaluation;
import dev.exitrl.taskapi.EvaluationSummary;
import dev.exitrl.taskapi.EvaluationView;
import dev.exitrl.taskapi.EvaluationsApi;
import dev.exitrl.taskapi.PostResults;
import dev.exitrl.taskapi.ResultsAppended;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** K-step self-improvement evaluations: created and fed by the rollout-service, read by people. */
@RestController
class EvaluationController implements EvaluationsApi {
    private final EvaluationService evaluations;

    EvaluationController(EvaluationService evaluations) {
        this.evaluations = evaluations;
    }

    @Override
    public ResponseEntity<EvaluationView> createEvaluation(UUID experimentId, CreateEvaluation request) {
        EvaluationView created = evaluations.create(
                experimentId,
                request.policyVersion(),
                request.split() == null ? Split.TEST : request.split(),
                request.steps(),
                request.samples(),
                request.label());
        return ResponseEntity.created(URI.create("/api/evaluations/" + created.id()))
                .body(created);
    }

    @Override
    public List<EvaluationView> listEvaluations(UUID experimentId) {
        return evaluations.list(experimentId);
    }

    @Override
    public ResultsAppended postResults(UUID evaluationId, PostResults request) {
        return evaluations.append(evaluationId, request.results());
    }

    @Override
    public EvaluationView completeEvaluation(UUID evaluationId) {
        return evaluations.complete(evaluationId);
    }

    @Override
    public EvaluationView failEvaluation(UUID evaluationId) {
        return evaluations.fail(evaluationId);
    }

    @Override
    public EvaluationSummary evaluationSummary(UUID evaluationId) {
        return evaluations.summary(evaluationId);
    }

    /** Written straight to the response, row by row, so a large evaluation is never held in memory. */
    @GetMapping("/api/evaluations/{evaluationId}/results.csv")
    void resultsCsv(@PathVariable UUID evaluationId, HttpServletResponse response) throws IOException {
        evaluations.requireEvaluation(evaluationId);
        response.setContentType("text/csv");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader(
                HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"evaluation-" + evaluationId + ".csv\"");
        evaluations.writeCsv(evaluationId, response.getWriter());
    }
}
