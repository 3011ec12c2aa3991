package dev.exitrl.core.buffer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Which responses of a group become children in the buffer. The paper does not say; {@link #ALL} is our
 * default (all children share the parent's score, so the buffer's top-N rule decides).
 */
public enum ChildPolicy {
    /** Every rollout of the group. */
    ALL("all"),
    /** The rollout with the highest quality; ties go to the earliest rollout. */
    BEST("best"),
    /** One rollout drawn uniformly. */
    RANDOM_ONE("random-one");

    private final String id;

    ChildPolicy(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    /** Parses {@code all | best | random-one} (case-insensitive; the enum names are accepted too). */
    @JsonCreator
    public static ChildPolicy fromId(String value) {
        for (ChildPolicy p : values()) {
            if (p.id.equalsIgnoreCase(value) || p.name().equalsIgnoreCase(value)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown child policy '" + value + "', allowed: all, best, random-one");
    }
}
