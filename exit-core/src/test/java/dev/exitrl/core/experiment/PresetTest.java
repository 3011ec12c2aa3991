package dev.exitrl.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The ablation table of the spec, row by row. */
class PresetTest {
    @ParameterizedTest
    @CsvSource({
        // preset,    buffer, children, divergence, diversity
        "grpo,        false,  false,    false,      false",
        "curriculum,  true,   false,    false,      false",
        "improve,     true,   true,     false,      false",
        "diverge,     true,   true,     true,       false",
        "exit,        true,   true,     true,       true",
    })
    void flagsMatchTheAblationTable(
            String id, boolean buffer, boolean children, boolean divergence, boolean diversity) {
        var preset = Preset.fromId(id);
        assertThat(preset.id()).isEqualTo(id);
        assertThat(preset.useBuffer()).isEqualTo(buffer);
        assertThat(preset.selfIteration()).isEqualTo(children);
        assertThat(preset.divergence()).isEqualTo(divergence);
        assertThat(preset.diversityBonus()).isEqualTo(diversity);

        var config = ExperimentConfig.defaults("math", preset);
        assertThat(config.usesBuffer()).isEqualTo(buffer);
        assertThat(config.selfIteration()).isEqualTo(children);
        assertThat(config.effectiveDivergeProbability()).isEqualTo(divergence ? 0.2 : 0.0);
        assertThat(config.diversityBonus()).isEqualTo(diversity);
    }
}
