package dev.exitrl.taskapi;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Several groups (e.g. all of a lease) in one request and one transaction; each keeps its own idempotency key. */
public record SubmitGroups(
        @NotNull @Size(min = 1, max = Limits.MAX_GROUPS) List<@Valid @NotNull SubmitGroup> groups) {}
