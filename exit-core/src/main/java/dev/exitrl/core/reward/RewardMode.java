package dev.exitrl.core.reward;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How a rollout's reward is computed from verifier qualities. Base-task ({@code SOLVE}) steps get the
 * domain quality in every mode.
 */
public enum RewardMode {
    /** Paper main text: every self-iteration step gets the normalised improvement {@code max(0, Delta/Delta_max)}. */
    IMPROVEMENT,
    /** Paper appendix for binary verifiers (math, tool use): the plain verifier quality on every step. */
    ABSOLUTE,
    /**
     * Paper appendix for MLE: improve steps get the normalised improvement, diverge steps the plain
     * (normalised) score. Our choice for {@code DEBUG}: the normalised improvement like improve steps; a
     * failed previous attempt has quality 0, for which the improvement equals the plain score anyway.
     */
    MLE;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static RewardMode fromId(String value) {
        for (RewardMode m : values()) {
            if (m.name().equalsIgnoreCase(value)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown reward mode '" + value + "', allowed: improvement, absolute, mle");
    }

    /**
     * Fallback for domains without a registered {@link dev.exitrl.core.domain.Domain} (a registered domain's own
     * {@code defaultRewardMode()} wins; see {@code ExperimentConfig.effectiveRewardMode}). The appendix's default per domain: {@code math}, {@code tool-use} and {@code countdown} (binary
     * verifiers) -> ABSOLUTE; {@code mle} -> MLE; any other domain -> IMPROVEMENT (main text).
     */
    public static RewardMode defaultFor(String domain) {
        return switch (domain == null ? "" : domain) {
            case "math", "tool-use" -> ABSOLUTE;
            case "mle" -> MLE;
            default -> IMPROVEMENT;
        };
    }
}
