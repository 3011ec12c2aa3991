package dev.exitrl.core.domain;

import java.util.Map;
import java.util.TreeMap;

/**
 * The result of a finished multi-turn episode: the verification that the reward uses and named side metrics for
 * logging and evaluation (for tool use: {@code firstTurnCorrect}, {@code turnsPassedFraction}).
 */
public record EpisodeOutcome(Verification verification, Map<String, Double> metrics) {
    public EpisodeOutcome {
        metrics = Map.copyOf(new TreeMap<>(metrics));
    }
}
