package dev.exitrl.core.domain;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A JSONL import found invalid lines; nothing was imported. The message names up to
 * {@value #LINES_IN_MESSAGE} lines; {@link #errors()} has all of them.
 */
public class TaskImportException extends IllegalArgumentException {
    static final int LINES_IN_MESSAGE = 10;

    /** One bad line, numbered from 1. */
    public record LineError(long line, String message) {
        @Override
        public String toString() {
            return "line " + line + ": " + message;
        }
    }

    private final List<LineError> errors;

    public TaskImportException(List<LineError> errors) {
        super(message(errors));
        this.errors = List.copyOf(errors);
    }

    public List<LineError> errors() {
        return errors;
    }

    private static String message(List<LineError> errors) {
        String shown =
                errors.stream().limit(LINES_IN_MESSAGE).map(LineError::toString).collect(Collectors.joining("; "));
        String more = errors.size() > LINES_IN_MESSAGE ? " (and " + (errors.size() - LINES_IN_MESSAGE) + " more)" : "";
        return errors.size() + " invalid line(s), nothing imported: " + shown + more;
    }
}
