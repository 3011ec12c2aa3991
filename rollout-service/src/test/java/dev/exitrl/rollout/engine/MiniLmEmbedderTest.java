package dev.exitrl.rollout.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.core.grpo.DiversityBonus;
import java.util.List;
import org.junit.jupiter.api.Test;

class MiniLmEmbedderTest {
    @Test
    void nearDuplicateResponsesGetASmallerMultiplierThanADifferentOne() {
        var embedder = new MiniLmEmbedder();
        List<String> group = List.of(
                "First add 3 and 5 to get 8, then multiply by 3. Answer: (3 + 5) * 3",
                "First add 3 and 5 to get 8, then multiply by 3.  Answer: (3 + 5) * 3",
                "First, add 3 and 5 to get 8; then multiply by 3. Answer: (3+5)*3",
                "First add 5 and 3 to get 8, then multiply it by 3. Answer: (5 + 3) * 3",
                "I could not find a way. The weather is nice today and I like walking in the park.");

        List<float[]> embeddings = embedder.embed(group);
        double[] d = DiversityBonus.multipliers(embeddings);

        assertThat(embeddings).hasSize(5).allSatisfy(e -> assertThat(e).hasSize(384));
        for (int i = 0; i < 4; i++) {
            assertThat(d[i]).as("near duplicate %d", i).isLessThan(d[4]);
        }
        // Same text, same embedding: the model is deterministic.
        assertThat(embedder.embed(List.of(group.get(0))).get(0)).containsExactly(embeddings.get(0));
    }
}
