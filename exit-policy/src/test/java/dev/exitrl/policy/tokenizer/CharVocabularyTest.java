package dev.exitrl.policy.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CharVocabularyTest {

    @Test
    void encodesCharactersWithBosAndDecodesWithoutSpaces(@TempDir Path dir) throws Exception {
        int size = CharVocabulary.write(dir, "ba c+");
        assertThat(size).isEqualTo(4 + 5);
        try (PolicyTokenizer tok = PolicyTokenizer.load(dir)) {
            long[] ids = tok.encode("a b+c");
            // specials 0-3, then code-point order: ' '=4, '+'=5, 'a'=6, 'b'=7, 'c'=8
            assertThat(ids).containsExactly(0, 6, 4, 7, 5, 8);
            assertThat(tok.encodePlain("cab")).containsExactly(8, 6, 7);
            assertThat(tok.decode(new long[] {0, 6, 4, 7, 5, 8, 1})).isEqualTo("a b+c");
            assertThat(tok.encodePlain("z")).containsExactly(3); // unknown character
        }
    }
}
