package dev.exitrl.task.group;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Workers submit each rolled-out group once (idempotently); the buffer and the training queue update with it. */
@RestController
@RequestMapping("/api/experiments/{experimentId}/groups")
class GroupController {
    private final GroupService groups;

    GroupController(GroupService groups) {
        this.groups = groups;
    }

    /**
     * One submitted group.
     *
     * @param idempotencyKey  the same key again returns the first answer and changes nothing
     * @param leaseId         the lease the slot came from
     * @param slot            the slot within the lease
     * @param policyVersion   the policy version that generated the rollouts
     * @param prompt          the prompt the rollouts answered
     * @param promptTokenIds  its token ids (for training), optional
     * @param rollouts        G >= 2 verified rollouts
     */
    record SubmitGroup(
            @NotBlank @Size(max = 200) String idempotencyKey,
            @NotNull UUID leaseId,
            @Min(0) int slot,
            @Min(0) long policyVersion,
            @NotNull String prompt,
            List<Integer> promptTokenIds,
            @NotNull @Size(min = 2, max = 1024) List<@Valid @NotNull RolloutResult> rollouts) {}

    /**
     * @param response        the text the policy wrote
     * @param quality         verifier quality in [0, 1]
     * @param reward          the training reward
     * @param feedback        feedback to keep in the child's history (an error, a tool result), optional
     * @param history         the full partial history after this rollout, for multi-turn domains; default: the
     *                        instance's history with its current turn answered by {@code response}
     * @param tokenIds        response token ids, optional
     * @param logProbs        behaviour log-probabilities of those tokens, optional (off-policy correction)
     */
    record RolloutResult(
            @NotNull String response,
            @DecimalMin("0.0") @DecimalMax("1.0") double quality,
            double reward,
            String feedback,
            JsonNode history,
            List<Integer> tokenIds,
            List<Double> logProbs) {}

    /** Several groups (e.g. all of a lease) in one request and one transaction; each keeps its own idempotency key. */
    record SubmitGroups(@NotNull @Size(min = 1, max = 4096) List<@Valid @NotNull SubmitGroup> groups) {}

    @PostMapping
    SubmitOutcome submit(@PathVariable UUID experimentId, @Valid @RequestBody SubmitGroup request) {
        return groups.submit(experimentId, request);
    }

    @PostMapping("/batch")
    List<SubmitOutcome> submitAll(@PathVariable UUID experimentId, @Valid @RequestBody SubmitGroups request) {
        return groups.submitAll(experimentId, request.groups());
    }
}
