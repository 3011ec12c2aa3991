package dev.exitrl.core.domain;

import java.util.List;

/**
 * What a multi-turn environment answers to one model message ({@link Episode#step}).
 *
 * @param observations    the messages to append after the model's message, in order: one {@code TOOL} message per
 *                        executed call (errors included), then the next {@code USER} request when a new user turn
 *                        starts; empty when the episode is over
 * @param turnFinished    the model's message ended the current user turn (or the turn was cut off)
 * @param episodeFinished no further model message is expected; read {@link Episode#outcome()}
 * @param cutOff          the episode ended because it ran out of its budget ({@link EpisodeLimits}: a turn that
 *                        needed more steps than allowed), not because the model finished; trainers with overlong
 *                        filtering give such an episode no loss
 */
public record EnvironmentStep(
        List<ChatMessage> observations, boolean turnFinished, boolean episodeFinished, boolean cutOff) {
    public EnvironmentStep {
        observations = List.copyOf(observations);
        if (episodeFinished && !turnFinished) {
            throw new IllegalArgumentException("a finished episode has a finished turn");
        }
        if (cutOff && !episodeFinished) {
            throw new IllegalArgumentException("a cut-off episode is finished");
        }
    }

    /** A step that did not run out of budget. */
    public EnvironmentStep(List<ChatMessage> observations, boolean turnFinished, boolean episodeFinished) {
        this(observations, turnFinished, episodeFinished, false);
    }
}
