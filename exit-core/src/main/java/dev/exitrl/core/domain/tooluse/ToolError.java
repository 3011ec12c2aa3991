package dev.exitrl.core.domain.tooluse;

/** A call that a module refuses (no such file, unknown user, ...); the environment turns it into an error result. */
final class ToolError extends Exception {
    ToolError(String message) {
        super(message, null, false, false);
    }
}
