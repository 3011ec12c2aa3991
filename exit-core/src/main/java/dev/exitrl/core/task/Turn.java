package dev.exitrl.core.task;

import java.util.Objects;

/**
 * One turn of a partial history {@code tau}: the latest response given for this turn (not every earlier
 * attempt), the iterate that produced it (1 = first attempt, 2 = first revision, ...), and optional
 * feedback about it (an error trace, a tool result, a verifier message); {@code feedback} may be null.
 */
public record Turn(String response, int iterate, String feedback) {
    public Turn {
        Objects.requireNonNull(response, "response");
        if (iterate < 1) {
            throw new IllegalArgumentException("iterate must be >= 1, was " + iterate);
        }
    }

    public static Turn of(String response, int iterate) {
        return new Turn(response, iterate, null);
    }

    public boolean hasFeedback() {
        return feedback != null && !feedback.isBlank();
    }
}
