package dev.exitrl.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.core.domain.EpisodeLimits;
import org.junit.jupiter.api.Test;

class DomainTrainingOptionsTest {
    @Test
    void toolUseTrainsOnTheFirstRequestWithDrGrpoAndOverlongFiltering() {
        DomainTrainingOptions tool = DomainTrainingOptions.of("tool-use");
        assertThat(tool.drGrpo()).isTrue();
        assertThat(tool.overlongFiltering()).isTrue();
        assertThat(tool.maskNonAssistantTokens()).isTrue();
        assertThat(tool.trainingLimits()).isEqualTo(new EpisodeLimits(1, 10));
        assertThat(tool.evaluationLimits()).isEqualTo(new EpisodeLimits(EpisodeLimits.ALL_TURNS, 60));
        assertThat(ExperimentConfig.defaults("tool-use", Preset.EXIT).epochsPerBatch())
                .isEqualTo(2);
        for (String other : new String[] {"mle", "math", "countdown", "other"}) {
            DomainTrainingOptions o = DomainTrainingOptions.of(other);
            assertThat(o.drGrpo()).isFalse();
            assertThat(o.overlongFiltering()).isFalse();
            assertThat(o.maskNonAssistantTokens()).isTrue();
            assertThat(o.greedySearchEvaluation()).as(other).isEqualTo(other.equals("mle"));
        }
        assertThat(tool.greedySearchEvaluation()).isFalse();
    }

    @Test
    void mleBufferSizesFollowThePaperPerPreset() {
        int[][] expected = {{3, 3}, {24, 8}, {32, 8}, {24, 3}};
        Preset[] presets = {Preset.CURRICULUM, Preset.IMPROVE, Preset.DIVERGE, Preset.EXIT};
        for (int i = 0; i < presets.length; i++) {
            ExperimentConfig c = ExperimentConfig.defaults("mle", presets[i]);
            assertThat(new int[] {c.bufferCapacity(), c.bufferMinSize()})
                    .as(presets[i].id())
                    .containsExactly(expected[i]);
            assertThat(c.refUpdateAlpha()).isEqualTo(0.5);
            assertThat(c.validate()).isEmpty();
        }
        assertThat(ExperimentConfig.defaults("mle", Preset.GRPO).validate()).isEmpty();
    }
}
