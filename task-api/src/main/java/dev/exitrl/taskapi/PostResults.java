package dev.exitrl.taskapi;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Result rows appended to an evaluation; identical re-posts change nothing, conflicting ones are a 409. */
public record PostResults(
        @NotEmpty @Size(max = Limits.MAX_RESULT_ROWS) List<@NotNull @Valid ResultRow> results) {}
