package dev.exitrl.rollout.engine;

import dev.exitrl.core.domain.ChatMessage;
import dev.exitrl.core.domain.EnvironmentStep;
import dev.exitrl.core.domain.Episode;
import dev.exitrl.policy.sampling.Generation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One row of {@link MultiTurnEnvironment} under way: the domain's episode, the row's context (prompt, messages,
 * observations) and, per token after the prompt, whether the policy generated it and its behaviour log-prob.
 */
final class EpisodePlay {
    private final Episode episode;
    private final int promptLength;
    private final List<String> messages = new ArrayList<>();
    private long[] context;
    private int length;
    private float[] logProbs = new float[64];
    private boolean[] mask = new boolean[64];
    private String finishReason = "eos";
    private boolean truncated;

    EpisodePlay(Episode episode, long[] prompt) {
        this.episode = episode;
        this.promptLength = prompt.length;
        this.context = Arrays.copyOf(prompt, prompt.length + 64);
        this.length = prompt.length;
    }

    boolean finished() {
        return episode.finished();
    }

    int length() {
        return length;
    }

    long[] contextIds() {
        return Arrays.copyOf(context, length);
    }

    /** Appends the model's message (policy tokens) and applies it to the environment. */
    EnvironmentStep message(Generation g) {
        append(g.tokenIds(), g.logProbs(), true);
        messages.add(g.text());
        finishReason = g.finishReason();
        return episode.step(g.text());
    }

    /** Appends observation tokens (not policy tokens). */
    void observe(long[] ids) {
        append(ids, null, false);
    }

    /** The episode stops here; {@code outOfBudget} marks it truncated. */
    void end(boolean outOfBudget) {
        truncated = outOfBudget;
    }

    String render(List<ChatMessage> observations) {
        StringBuilder text = new StringBuilder();
        for (ChatMessage m : observations) {
            text.append(episode.render(m));
        }
        return text.toString();
    }

    private void append(long[] ids, float[] lp, boolean policy) {
        int need = length + ids.length;
        if (need > context.length) {
            context = Arrays.copyOf(context, Math.max(need, context.length * 2));
        }
        int after = length - promptLength;
        if (after + ids.length > mask.length) {
            int size = Math.max(after + ids.length, mask.length * 2);
            mask = Arrays.copyOf(mask, size);
            logProbs = Arrays.copyOf(logProbs, size);
        }
        System.arraycopy(ids, 0, context, length, ids.length);
        for (int i = 0; i < ids.length; i++) {
            mask[after + i] = policy;
            logProbs[after + i] = policy ? lp[i] : 0f;
        }
        length = need;
    }

    /** The played rollout: tokens after the prompt, their mask and log-probs, and the episode's own verdict. */
    RolloutEnvironment.Episode result() {
        int n = length - promptLength;
        return new RolloutEnvironment.Episode(
                String.join("\n", messages),
                episode.history(),
                null,
                Arrays.copyOfRange(context, promptLength, length),
                Arrays.copyOf(logProbs, n),
                finishReason,
                Arrays.copyOf(mask, n),
                truncated,
                episode.outcome().verification());
    }
}
