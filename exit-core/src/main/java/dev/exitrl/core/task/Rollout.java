package dev.exitrl.core.task;

import java.util.Objects;

/**
 * One sampled response of a group, already verified.
 *
 * @param history the partial history after this rollout: the instance's history with the current turn
 *                revised by this response (see {@link TaskInstance#answeredWith}), plus any further turns a
 *                multi-turn domain played out. Expansion turns it into children.
 * @param quality verifier quality {@code G} rescaled to {@code [0,1]}; the learnability score uses it
 * @param reward  the training reward for this rollout (see {@code dev.exitrl.core.reward.Rewards})
 */
public record Rollout(History history, double quality, double reward) {
    public Rollout {
        Objects.requireNonNull(history, "history");
        if (history.isEmpty()) {
            throw new IllegalArgumentException("a rollout's history holds at least its response");
        }
        if (!(quality >= 0 && quality <= 1)) {
            throw new IllegalArgumentException("quality must be in [0, 1], was " + quality);
        }
        if (!Double.isFinite(reward)) {
            throw new IllegalArgumentException("reward must be finite, was " + reward);
        }
    }

    /** The latest response of the resulting history (what the policy last wrote). */
    public String response() {
        return history.latest().response();
    }
}
