package dev.exitrl.policy.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.util.Utils;
import dev.exitrl.policy.Fixtures;
import org.junit.jupiter.api.Test;

class TokenizerLibraryTest {

    @Test
    void userChoiceWinsElseCpu() {
        assertThat(TokenizerLibrary.flavor(null, null)).isEqualTo("cpu");
        assertThat(TokenizerLibrary.flavor("", " ")).isEqualTo("cpu");
        assertThat(TokenizerLibrary.flavor(null, "cu124")).isEqualTo("cu124");
        assertThat(TokenizerLibrary.flavor("cu128", "cpu")).isEqualTo("cu128");
    }

    @Test
    void loadingATokenizerPinsTheCpuBuildBeforeDjlReadsTheFlavour() throws Exception {
        try (PolicyTokenizer tokenizer = PolicyTokenizer.load(Fixtures.hfTiny().resolve("qwen2"))) {
            assertThat(tokenizer.encode("hello")).isNotEmpty();
        }
        // What DJL's library loader reads (environment first, then the property): cpu unless the user chose.
        String expected =
                System.getenv(TokenizerLibrary.FLAVOR) == null ? "cpu" : System.getenv(TokenizerLibrary.FLAVOR);
        assertThat(Utils.getEnvOrSystemProperty(TokenizerLibrary.FLAVOR)).isEqualTo(expected);
    }
}
