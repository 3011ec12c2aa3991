package dev.exitrl.core.domain;

import dev.exitrl.core.task.History;
import java.util.List;

/**
 * One rollout of a multi-turn domain: the environment loop inside a single ExIt step. Not thread-safe; one
 * instance per rollout. The rollout worker drives it:
 *
 * <pre>
 * Episode e = domain.startEpisode(task, kind, history, limits);
 * List&lt;ChatMessage&gt; chat = new ArrayList&lt;&gt;(e.opening());
 * while (!e.finished()) {
 *     String reply = policy.generate(chat);            // policy tokens: this message only
 *     chat.add(new ChatMessage(Role.ASSISTANT, reply));
 *     chat.addAll(e.step(reply).observations());       // tool results and next user turns: masked
 * }
 * EpisodeOutcome outcome = e.outcome();                // quality for the reward
 * History child = e.history();                         // the new trajectory, for expansion
 * </pre>
 */
public interface Episode {
    /** The messages before the model's first step (the prompt {@link Domain#renderPrompt} gives). */
    List<ChatMessage> opening();

    /**
     * Applies one model message: runs its tool calls (errors become error results, never exceptions) and says what
     * comes next.
     *
     * @throws IllegalStateException when the episode is already finished
     */
    EnvironmentStep step(String modelMessage);

    boolean finished();

    /**
     * The trajectory so far as a history: the turns before the revised one unchanged, then one turn per user turn
     * played here, each holding the model's messages of that turn (the revised turn with the next iterate).
     */
    History history();

    /** The verification of every user turn from the first up to the last one played, and side metrics. */
    EpisodeOutcome outcome();

    /**
     * The text an observation adds to the model's context after its message; the worker tokenises it without
     * special tokens and masks it out of the policy tokens. Default: a tool result on its own line after
     * {@code "-> "} (the way revision prompts show results), a user request after a blank line.
     */
    default String render(ChatMessage observation) {
        return switch (observation.role()) {
            case TOOL -> "\n-> " + observation.content();
            case USER -> "\n\n" + observation.content() + "\n";
            case ASSISTANT -> "\n" + observation.content();
        };
    }
}
