package dev.exitrl.core.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A partial history {@code tau}: for each turn so far, the latest response of that turn. Single-turn
 * domains have at most one turn. Immutable; every "change" returns a new history.
 */
public record History(List<Turn> turns) {
    private static final History EMPTY = new History(List.of());

    public History {
        turns = List.copyOf(Objects.requireNonNull(turns, "turns"));
    }

    public static History empty() {
        return EMPTY;
    }

    public static History of(Turn... turns) {
        return new History(List.of(turns));
    }

    public boolean isEmpty() {
        return turns.isEmpty();
    }

    public int turnCount() {
        return turns.size();
    }

    /** The last turn; the history must not be empty. */
    public Turn latest() {
        if (turns.isEmpty()) {
            throw new IllegalStateException("empty history has no latest turn");
        }
        return turns.get(turns.size() - 1);
    }

    /** The first {@code count} turns ({@code 0 <= count <= turnCount()}). */
    public History prefix(int count) {
        if (count < 0 || count > turns.size()) {
            throw new IllegalArgumentException("prefix length " + count + " outside [0, " + turns.size() + "]");
        }
        return count == turns.size() ? this : new History(turns.subList(0, count));
    }

    /** This history with its last turn replaced by {@code turn} (a revision of the current turn). */
    public History withLatest(Turn turn) {
        if (turns.isEmpty()) {
            return of(turn);
        }
        var copy = new ArrayList<>(turns.subList(0, turns.size() - 1));
        copy.add(turn);
        return new History(copy);
    }

    /** This history with {@code turn} appended as a new turn (multi-turn domains). */
    public History withNextTurn(Turn turn) {
        var copy = new ArrayList<>(turns);
        copy.add(turn);
        return new History(copy);
    }
}
