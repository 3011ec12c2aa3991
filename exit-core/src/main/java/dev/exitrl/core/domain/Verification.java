package dev.exitrl.core.domain;

/**
 * What a domain's verifier says about one response.
 *
 * @param quality      the quality {@code G} in {@code [0, 1]}
 * @param correct      true when the response fully solves the task
 * @param feedback     a message about the response for the model or the user (why it is wrong, how far off); may be null
 * @param parsedAnswer the answer the verifier extracted from the response; null when none could be found
 */
public record Verification(double quality, boolean correct, String feedback, String parsedAnswer) {
    public Verification {
        if (!(quality >= 0.0 && quality <= 1.0)) {
            throw new IllegalArgumentException("quality must be in [0, 1], was " + quality);
        }
        if (correct && quality != 1.0) {
            throw new IllegalArgumentException("a correct response has quality 1, was " + quality);
        }
    }

    /** A response that could not be used at all: quality 0 with the reason as feedback. */
    public static Verification invalid(String reason, String parsedAnswer) {
        return new Verification(0.0, false, reason, parsedAnswer);
    }

    public boolean hasFeedback() {
        return feedback != null && !feedback.isBlank();
    }
}
