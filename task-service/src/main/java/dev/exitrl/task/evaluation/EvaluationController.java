package dev.exitrl.task.evaluation;

import dev.exitrl.core.domain.Split;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** K-step self-improvement evaluations: created and fed by the rollout-service, read by people. */
@RestController
class EvaluationController {
    static final int MAX_STEPS = 256;
    static final int MAX_SAMPLES = 64;
    static final int MAX_ROWS_PER_POST = 20_000;

    private final EvaluationService evaluations;

    EvaluationController(EvaluationService evaluations) {
        this.evaluations = evaluations;
    }

    /**
     * @param policyVersion the policy version evaluated
     * @param split         base tasks evaluated on; default TEST (held out)
     * @param steps         K, revisions after the first answer
     * @param samples       n, samples per base task
     * @param label         free text for people
     */
    record CreateEvaluation(
            @NotNull @Min(0) Long policyVersion,
            Split split,
            @NotNull @Min(0) @Max(MAX_STEPS) Integer steps,
            @NotNull @Min(1) @Max(MAX_SAMPLES) Integer samples,
            @Size(max = 200) String label) {}

    record PostResults(
            @NotEmpty @Size(max = MAX_ROWS_PER_POST) List<@NotNull @Valid ResultRow> results) {}

    @PostMapping("/api/experiments/{experimentId}/evaluations")
    ResponseEntity<EvaluationView> create(
            @PathVariable UUID experimentId, @Valid @RequestBody CreateEvaluation request) {
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

    @GetMapping("/api/experiments/{experimentId}/evaluations")
    List<EvaluationView> list(@PathVariable UUID experimentId) {
        return evaluations.list(experimentId);
    }

    @PostMapping("/api/evaluations/{evaluationId}/results")
    EvaluationService.Appended postResults(@PathVariable UUID evaluationId, @Valid @RequestBody PostResults request) {
        return evaluations.append(evaluationId, request.results());
    }

    @PostMapping("/api/evaluations/{evaluationId}/complete")
    EvaluationView complete(@PathVariable UUID evaluationId) {
        return evaluations.complete(evaluationId);
    }

    @PostMapping("/api/evaluations/{evaluationId}/fail")
    EvaluationView fail(@PathVariable UUID evaluationId) {
        return evaluations.fail(evaluationId);
    }

    @GetMapping("/api/evaluations/{evaluationId}")
    EvaluationSummary summary(@PathVariable UUID evaluationId) {
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
