package dev.exitrl.core.domain;

/**
 * How a self-iteration step is rewarded (see exit-algorithm.md, step 5).
 *
 * <ul>
 *   <li>{@link #IMPROVEMENT}: {@code max(0, (G(new) - G(prev)) / (1 - G(prev)))}, the paper's main-text reward.</li>
 *   <li>{@link #ABSOLUTE}: the plain verifier quality {@code G(new)} (the appendix, for binary verifiers).</li>
 *   <li>{@link #NORMALISED_IMPROVEMENT}: improvement on improve steps, plain quality on diverge steps
 *       (the appendix's MLE setting).</li>
 * </ul>
 */
public enum RewardMode {
    IMPROVEMENT,
    ABSOLUTE,
    NORMALISED_IMPROVEMENT
}
