package dev.exitrl.policy.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exitrl.policy.model.ModelConfig;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptBatchTest {

    static final ModelConfig CONFIG = ModelConfig.preset("tiny", 50, 0, 1, 3);
    static final float M = -7f;

    @Test
    void leftPadsWithRealPositionsAndMasks() {
        PromptBatch batch = PromptBatch.of(List.of(new long[] {10, 11, 12}, new long[] {20}), CONFIG, 2, M);
        assertThat(batch.promptLen()).isEqualTo(3);
        assertThat(batch.capacity()).isEqualTo(5);
        assertThat(batch.ids()).containsExactly(10, 11, 12, 3, 3, 20); // pad id 3 in front of the short prompt
        assertThat(batch.positions()).containsExactly(0, 1, 2, 1, 1, 0);
        assertThat(batch.lengths()).containsExactly(3, 1);
        // (B, T): only the pad columns of row 1 are hidden; generated slots 3, 4 are open.
        assertThat(batch.keyMask()).containsExactly(0, 0, 0, 0, 0, M, M, 0, 0, 0);
        // (B, P, P) row 1: pad queries see only themselves, the real query sees only itself.
        float[] row1 = Arrays.copyOfRange(batch.prefillMask(), 9, 18);
        assertThat(row1).containsExactly(0, M, M, M, 0, M, M, M, 0);
        float[] row0 = Arrays.copyOfRange(batch.prefillMask(), 0, 9);
        assertThat(row0).containsExactly(0, M, M, 0, 0, M, 0, 0, 0); // plain causal
    }

    @Test
    void rejectsEmptyPromptsIdsOutsideTheVocabularyAndTooLongRequests() {
        assertThatThrownBy(() -> PromptBatch.of(List.of(new long[] {1}, new long[0]), CONFIG, 2, M))
                .hasMessageContaining("prompts[1] is empty");
        assertThatThrownBy(() -> PromptBatch.of(List.of(new long[] {50}), CONFIG, 2, M))
                .hasMessageContaining("prompts[0] holds id 50 outside [0, 50)");
        assertThatThrownBy(() -> PromptBatch.of(List.of(new long[] {1, 2}), CONFIG, 511, M))
                .hasMessageContaining("max_position_embeddings 512");
    }
}
