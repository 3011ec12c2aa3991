package dev.exitrl.core.domain.mle;

import dev.exitrl.core.domain.BaseTask;
import dev.exitrl.core.domain.Domain;
import dev.exitrl.core.domain.Verification;
import dev.exitrl.core.task.History;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.core.task.Turn;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The evaluation scaffold of the paper's MLE setting: a greedy search over K steps that keeps the best solution so
 * far. Step 0 solves; each later step revises the best solution so far, as a {@code DEBUG} step while the best
 * attempt is a failure (its error trace shown) and as an {@code IMPROVE} step otherwise. A step's result replaces the
 * best only when it scores strictly higher. Works for any domain (the debug rule comes from
 * {@link Domain#attemptFailed}).
 */
public final class GreedySearch {
    /** One step: what was asked, the response's quality, and the best quality so far (the reported curve). */
    public record Step(int index, StepKind kind, String response, double quality, double bestSoFar) {}

    private GreedySearch() {}

    /**
     * @param steps  K, the number of revision steps after the first solve
     * @param policy the model: prompt in, response out
     */
    public static List<Step> run(Domain domain, BaseTask task, int steps, Function<String, String> policy) {
        Objects.requireNonNull(policy, "policy");
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, was " + steps);
        }
        List<Step> out = new ArrayList<>();
        Turn best = null;
        double bestQuality = -1;
        for (int k = 0; k <= steps; k++) {
            StepKind kind =
                    best == null ? StepKind.SOLVE : domain.attemptFailed(best) ? StepKind.DEBUG : StepKind.IMPROVE;
            History history = best == null ? History.empty() : History.of(best);
            String response = policy.apply(domain.renderPrompt(task, kind, history));
            Verification v = domain.verify(task, response);
            if (v.quality() > bestQuality) {
                bestQuality = v.quality();
                best = new Turn(response, k + 1, v.feedback());
            }
            out.add(new Step(k, kind, response, v.quality(), bestQuality));
        }
        return out;
    }
}
