package dev.exitrl.core.domain;

/**
 * How much of a multi-turn task one episode plays.
 *
 * @param userTurns    user turns played in this episode, counted from the turn it starts at (the first request for a
 *                     {@code SOLVE}, the revised turn for a revision); the task's remaining turns cap it
 * @param stepsPerTurn tool-call steps a single user turn may take; a turn that needs more is cut off and fails
 */
public record EpisodeLimits(int userTurns, int stepsPerTurn) {
    /** Every remaining user turn. */
    public static final int ALL_TURNS = Integer.MAX_VALUE;

    public EpisodeLimits {
        if (userTurns < 1) {
            throw new IllegalArgumentException("userTurns must be >= 1, was " + userTurns);
        }
        if (stepsPerTurn < 1) {
            throw new IllegalArgumentException("stepsPerTurn must be >= 1, was " + stepsPerTurn);
        }
    }
}
