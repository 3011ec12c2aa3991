package dev.exitrl.core.sampling;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Which buffer sampler an experiment uses. */
public enum SamplerKind {
    /** The paper's softmax over scores with inverse temperature kappa (default). */
    SOFTMAX,
    /** PLR-style rank prioritisation with a staleness mix (Jiang et al. 2021); not ExIt's default. */
    RANK;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static SamplerKind fromId(String value) {
        for (SamplerKind k : values()) {
            if (k.name().equalsIgnoreCase(value)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown sampler '" + value + "', allowed: softmax, rank");
    }
}
