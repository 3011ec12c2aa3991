package dev.exitrl.policy.training;

import ai.djl.Device;
import dev.exitrl.policy.Policy;
import dev.exitrl.policy.model.ModelConfig;
import dev.exitrl.policy.tokenizer.CharVocabulary;
import java.nio.file.Path;

/** A from-scratch tiny policy over a small character set, for CPU training tests. */
final class TinyPolicies {

    private TinyPolicies() {}

    static Policy create(Path dir, String characters, long seed) throws Exception {
        int vocab = CharVocabulary.write(dir, characters);
        ModelConfig config =
                ModelConfig.preset("tiny", vocab, CharVocabulary.BOS, CharVocabulary.EOS, CharVocabulary.PAD);
        return Policy.create(config, dir.resolve("tokenizer.json"), Device.cpu(), seed);
    }
}
