package dev.exitrl.core.domain;

import java.util.Locale;

/** Which side of a domain's task set a base task belongs to. Train and test never share a task. */
public enum Split {
    TRAIN,
    TEST;

    /** The lower-case name used in JSON ({@code "train"}, {@code "test"}). */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code "train"} or {@code "test"} (any case). */
    public static Split fromJsonName(String name) {
        for (Split split : values()) {
            if (split.name().equalsIgnoreCase(name)) {
                return split;
            }
        }
        throw new IllegalArgumentException("split must be one of [train, test], was '" + name + "'");
    }
}
