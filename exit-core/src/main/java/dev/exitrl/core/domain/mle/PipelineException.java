package dev.exitrl.core.domain.mle;

/** Why a pipeline could not be run to the end; becomes the error trace of a quality-0 verification. */
final class PipelineException extends RuntimeException {
    enum Kind {
        SYNTAX("syntax error"),
        INVALID_HYPERPARAMETER("invalid hyperparameter"),
        DATA("data error"),
        DIVERGED("training diverged"),
        TIMEOUT("timeout"),
        OUT_OF_MEMORY("out of memory");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private final Kind kind;
    private final String where;

    PipelineException(Kind kind, String message) {
        this(kind, message, null);
    }

    PipelineException(Kind kind, String message, String where) {
        super(message, null, false, false);
        this.kind = kind;
        this.where = where;
    }

    Kind kind() {
        return kind;
    }

    /** The step (line) where it happened, or null. */
    String where() {
        return where;
    }

    PipelineException at(String line) {
        return where != null ? this : new PipelineException(kind, getMessage(), line);
    }
}
