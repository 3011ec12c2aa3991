package dev.exitrl.rollout;

import ai.djl.Device;
import dev.exitrl.policy.Policy;
import dev.exitrl.policy.model.ModelConfig;
import dev.exitrl.policy.tokenizer.CharVocabulary;
import java.nio.file.Path;

/** From-scratch tiny policies (exit-policy's {@code tiny} preset) over printable ASCII, for CPU tests. */
public final class TinyPolicies {
    /** Printable ASCII and a newline: every character of the countdown and math prompts. */
    public static final String CHARACTERS;

    static {
        StringBuilder sb = new StringBuilder("\n");
        for (char c = 32; c < 127; c++) {
            sb.append(c);
        }
        CHARACTERS = sb.toString();
    }

    private TinyPolicies() {}

    /** A random tiny policy; {@code dir} receives its {@code tokenizer.json}. */
    public static Policy create(Path dir, long seed) throws Exception {
        int vocab = CharVocabulary.write(dir, CHARACTERS);
        ModelConfig config =
                ModelConfig.preset("tiny", vocab, CharVocabulary.BOS, CharVocabulary.EOS, CharVocabulary.PAD);
        return Policy.create(config, dir.resolve("tokenizer.json"), Device.cpu(), seed);
    }
}
