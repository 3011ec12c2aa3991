package dev.exitrl.core.sampling;

/** What a buffer sampler sees of one item: its score and the iteration at which it was last sampled. */
public record Candidate(double score, long lastSampledIteration) {
    public Candidate {
        if (!Double.isFinite(score)) {
            throw new IllegalArgumentException("score must be finite, was " + score);
        }
    }
}
