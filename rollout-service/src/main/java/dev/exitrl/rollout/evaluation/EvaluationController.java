package dev.exitrl.rollout.evaluation;

import dev.exitrl.core.domain.Split;
import dev.exitrl.taskapi.Limits;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.server.ResponseStatusException;

/** Starts a K-step self-improvement evaluation on this worker; the results land in the task space's evaluation. */
@Tag(name = "Rollout evaluations", description = "K-step evaluations run by this worker")
@RestController
@RequestMapping("/api/rollouts/evaluations")
class EvaluationController {
    private final EvaluationService evaluations;

    EvaluationController(EvaluationService evaluations) {
        this.evaluations = evaluations;
    }

    /**
     * @param experimentId the experiment
     * @param policyVersion the version to evaluate; default (and only choice) the announced one
     * @param split base tasks to run on; default TEST
     * @param steps K, revisions after the first answer
     * @param samples n, chains per task
     * @param limit at most this many tasks (the split's first ones); default all
     * @param label free text stored with the evaluation
     */
    record StartEvaluation(
            @Schema(example = "6f1c2d4e-0000-4000-8000-000000000001") @NotNull
            UUID experimentId,

            @Min(0) Long policyVersion,
            Split split,

            @Schema(example = "4") @NotNull @Min(0) @Max(Limits.MAX_EVALUATION_STEPS)
            Integer steps,

            @Schema(example = "2") @NotNull @Min(1) @Max(Limits.MAX_EVALUATION_SAMPLES)
            Integer samples,

            @Min(1) Integer limit,

            @Schema(example = "exit") @Size(max = Limits.MAX_NAME)
            String label) {}

    /** 202: the evaluation is open and running; poll {@code GET /api/evaluations/{evaluationId}}. */
    @Operation(
            summary =
                    "Run a K-step self-improvement evaluation of the announced policy version (202; results land in the task space)")
    @PostMapping
    ResponseEntity<EvaluationService.Started> start(@Valid @RequestBody StartEvaluation request)
            throws InterruptedException {
        try {
            return ResponseEntity.status(HttpStatus.ACCEPTED).body(evaluations.start(request));
        } catch (HttpClientErrorException e) {
            // The task space's verdict (unknown experiment, invalid request) is the caller's.
            throw new ResponseStatusException(e.getStatusCode(), e.getResponseBodyAsString(), e);
        }
    }
}
