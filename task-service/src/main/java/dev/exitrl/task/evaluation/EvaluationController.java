package dev.exitrl.task.evaluation;

import dev.exitrl.core.domain.Split;
import dev.exitrl.task.web.InvalidRequestException;
import dev.exitrl.taskapi.CreateEvaluation;
import dev.exitrl.taskapi.EvaluationSummary;
import dev.exitrl.taskapi.EvaluationView;
import dev.exitrl.taskapi.EvaluationsApi;
import dev.exitrl.taskapi.PostResults;
import dev.exitrl.taskapi.ResultsAppended;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** K-step self-improvement evaluations: created and fed by the rollout-service, read by people. */
@RestController
@Tag(name = "Evaluations")
class EvaluationController implements EvaluationsApi {
    static final int MAX_PLOTTED = 32;

    private final EvaluationService evaluations;
    private final EvaluationPlots plots;

    EvaluationController(EvaluationService evaluations, EvaluationPlots plots) {
        this.evaluations = evaluations;
        this.plots = plots;
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
    @Operation(summary = "Download an evaluation's result rows as CSV")
    @GetMapping("/api/evaluations/{evaluationId}/results.csv")
    void resultsCsv(@PathVariable UUID evaluationId, HttpServletResponse response) throws IOException {
        evaluations.requireEvaluation(evaluationId);
        response.setContentType("text/csv");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader(
                HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"evaluation-" + evaluationId + ".csv\"");
        evaluations.writeCsv(evaluationId, response.getWriter());
    }

    /** One evaluation's quality-vs-step plot ({@code svg} or {@code png}). */
    @Operation(summary = "Plot one evaluation: mean quality vs step (format svg or png)")
    @GetMapping("/api/evaluations/{evaluationId}/plot.{format}")
    ResponseEntity<byte[]> plot(@PathVariable UUID evaluationId, @PathVariable String format) {
        return plotOf(List.of(evaluationId), format);
    }

    /**
     * Several evaluations overlaid (the paper's main figure), e.g. one per preset of an ablation:
     * {@code ?ids=a,b,c}, at most {@value #MAX_PLOTTED}.
     */
    @Operation(summary = "Plot several evaluations overlaid (ids=a,b,c; format svg or png)")
    @GetMapping("/api/evaluations/plot.{format}")
    ResponseEntity<byte[]> overlay(@RequestParam List<UUID> ids, @PathVariable String format) {
        if (ids.isEmpty() || ids.size() > MAX_PLOTTED) {
            throw new InvalidRequestException("ids", "must name 1 to " + MAX_PLOTTED + " evaluations");
        }
        return plotOf(ids, format);
    }

    /** Every evaluation of an experiment overlaid, oldest first. */
    @Operation(summary = "Plot every evaluation of an experiment overlaid (format svg or png)")
    @GetMapping("/api/experiments/{experimentId}/evaluations/plot.{format}")
    ResponseEntity<byte[]> experimentPlot(@PathVariable UUID experimentId, @PathVariable String format) {
        var ids = evaluations.list(experimentId).stream()
                .map(EvaluationView::id)
                .limit(MAX_PLOTTED)
                .toList();
        return plotOf(ids, format);
    }

    private ResponseEntity<byte[]> plotOf(List<UUID> ids, String format) {
        var parsed = parseFormat(format);
        var lines = ids.stream()
                .map(evaluations::summary)
                .map(summary -> new EvaluationPlots.Line(label(summary.evaluation()), summary))
                .toList();
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_TYPE, parsed.contentType)
                .body(plots.render(lines, parsed));
    }

    private static String label(EvaluationView evaluation) {
        String name = evaluation.label() == null || evaluation.label().isBlank() ? "evaluation" : evaluation.label();
        return name + " (v" + evaluation.policyVersion() + ")";
    }

    private static EvaluationPlots.Format parseFormat(String format) {
        return switch (format) {
            case "svg" -> EvaluationPlots.Format.SVG;
            case "png" -> EvaluationPlots.Format.PNG;
            default -> throw new InvalidRequestException("format", "must be svg or png, was '" + format + "'");
        };
    }
}
