package dev.exitrl.taskapi;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;

/**
 * What the trainer reports when it acknowledges a claim; the body is optional and so is each field (a trainer that
 * reports nothing still acknowledges).
 *
 * @param tokensTrained tokens the update trained on (every epoch together)
 * @param trainSeconds  seconds the update took (the train tokens/s of the progress view divides the two)
 */
public record AckRequest(
        @Schema(example = "24576") @Min(0) Long tokensTrained,
        @Schema(example = "12.5") @DecimalMin("0.0") Double trainSeconds) {

    /** An acknowledgement that reports nothing. */
    public static AckRequest none() {
        return new AckRequest(null, null);
    }
}
