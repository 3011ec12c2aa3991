package dev.exitrl.core.sampling;

import java.util.List;
import java.util.random.RandomGenerator;

/** Draws one buffer item. {@link #probabilities} is the exact distribution that {@link #sample} follows. */
public interface BufferSampler {
    /** {@code P(i)} for each candidate, {@code (n)}, summing to 1; {@code currentIteration} drives staleness. */
    double[] probabilities(List<Candidate> candidates, long currentIteration);

    /** Index of the drawn candidate: one {@code nextDouble()} from {@code random}, inverse-CDF. */
    default int sample(List<Candidate> candidates, long currentIteration, RandomGenerator random) {
        return Categorical.draw(probabilities(candidates, currentIteration), random);
    }

    /** The sampler an experiment asks for. */
    static BufferSampler of(SamplerKind kind, double kappa, double rankTemperature, double stalenessMix) {
        return switch (kind) {
            case SOFTMAX -> new SoftmaxSampler(kappa);
            case RANK -> new RankSampler(rankTemperature, stalenessMix);
        };
    }
}
