package dev.exitrl.core.experiment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The paper's ablation ladder, each a preset of the same code:
 * <pre>
 * preset      buffer selection              children (self-iteration)  divergence  diversity bonus
 * grpo        no (base tasks only)          no                         no          no
 * curriculum  yes, base tasks only, rescored no                        no          no
 * improve     yes                           yes                        no          no
 * diverge     yes                           yes                        p_div       no
 * exit        yes                           yes                        p_div       yes
 * </pre>
 * With {@code useBuffer} but not {@code selfIteration} (curriculum), the buffer holds only base tasks: each
 * group re-scores (or offers) its base task and inserts no children.
 */
public enum Preset {
    GRPO(false, false, false, false),
    CURRICULUM(true, false, false, false),
    IMPROVE(true, true, false, false),
    DIVERGE(true, true, true, false),
    EXIT(true, true, true, true);

    private final boolean useBuffer;
    private final boolean selfIteration;
    private final boolean divergence;
    private final boolean diversityBonus;

    Preset(boolean useBuffer, boolean selfIteration, boolean divergence, boolean diversityBonus) {
        this.useBuffer = useBuffer;
        this.selfIteration = selfIteration;
        this.divergence = divergence;
        this.diversityBonus = diversityBonus;
    }

    /** Select instances from the task buffer (and keep it updated). */
    public boolean useBuffer() {
        return useBuffer;
    }

    /** Responses become children in the buffer (self-iteration tasks). */
    public boolean selfIteration() {
        return selfIteration;
    }

    /** Diverge steps are drawn with probability {@code p_div}. */
    public boolean divergence() {
        return divergence;
    }

    /** Advantages are multiplied by the embedding diversity bonus. */
    public boolean diversityBonus() {
        return diversityBonus;
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Preset fromId(String value) {
        for (Preset p : values()) {
            if (p.name().equalsIgnoreCase(value)) {
                return p;
            }
        }
        throw new IllegalArgumentException(
                "unknown preset '" + value + "', allowed: grpo, curriculum, improve, diverge, exit");
    }
}
