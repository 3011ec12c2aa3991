package dev.exitrl.taskapi;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;

/** Workers submit each rolled-out group once (idempotently); the buffer and the training queue update with it. */
@Tag(name = "Groups", description = "Submit rolled-out groups (idempotent)")
@HttpExchange
public interface GroupsApi {
    @Operation(summary = "Submit one group for a lease slot (stores it, updates the buffer, enqueues it for training)")
    @PostExchange("/api/experiments/{experimentId}/groups")
    SubmitOutcome submitGroup(@PathVariable UUID experimentId, @Valid @RequestBody SubmitGroup request);

    /** All groups in one transaction: all are stored, or none. */
    @Operation(summary = "Submit several groups in one transaction (all or none)")
    @PostExchange("/api/experiments/{experimentId}/groups/batch")
    List<SubmitOutcome> submitGroups(@PathVariable UUID experimentId, @Valid @RequestBody SubmitGroups request);
}
