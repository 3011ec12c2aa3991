package dev.exitrl.rollout.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exitrl.core.domain.Domain;
import dev.exitrl.core.domain.DomainRegistry;
import dev.exitrl.core.domain.GeneratorSpec;
import dev.exitrl.core.reward.RewardMode;
import dev.exitrl.core.task.History;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.policy.sampling.Generation;
import dev.exitrl.policy.sampling.SamplingParams;
import dev.exitrl.rollout.ScriptedPolicy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The worker's sync interval and continuous-batching slots reach every generate call of a batch. */
class SamplingSettingsTest {

    @Test
    void batchesCarryTheSyncIntervalAndSlotsAndDifferInSeed() {
        SamplingSettings settings = new SamplingSettings(64, 1.0, 0.9, 5, 4, 24);
        SamplingParams first = settings.forBatch(0);
        assertThat(first.syncEvery()).isEqualTo(4);
        assertThat(first.maxBatch()).isEqualTo(24);
        assertThat(first.maxNewTokens()).isEqualTo(64);
        assertThat(settings.forBatch(1).seed()).isNotEqualTo(first.seed());
        assertThat(new SamplingSettings(64, 1.0, 0.9, 5).forBatch(0).maxBatch()).isZero();
        assertThatThrownBy(() -> new SamplingSettings(64, 1.0, 0.9, 5, 0, 0)).hasMessageContaining("syncEvery");
    }

    @Test
    void theEngineKeepsThemWhenItShortensTheResponseBudget() {
        Domain countdown = DomainRegistry.standard().get("countdown");
        var task = countdown.generate(new GeneratorSpec(1, 1, 1, 0)).train().get(0);
        String prompt = countdown.renderPrompt(task, StepKind.SOLVE, History.empty());
        List<SamplingParams> seen = new ArrayList<>();
        ScriptedPolicy policy = new ScriptedPolicy(prompt.length() + 1 + 40, c -> "1 + 2") {
            @Override
            public List<Generation> generate(List<long[]> prompts, SamplingParams params) {
                seen.add(params);
                return super.generate(prompts, params);
            }
        };
        RolloutSlot slot = new RolloutSlot(0, task, StepKind.SOLVE, History.empty(), prompt, null, 2);
        new RolloutEngine(new SingleTurnEnvironment(), null)
                .run(
                        List.of(slot),
                        countdown,
                        RewardMode.ABSOLUTE,
                        false,
                        policy,
                        new SamplingSettings(4000, 1.0, 1.0, 5, 8, 1).forBatch(0));
        assertThat(seen).singleElement().satisfies(p -> {
            assertThat(p.maxNewTokens()).isLessThan(4000); // cut to the context left after the prompt
            assertThat(p.syncEvery()).isEqualTo(8);
            assertThat(p.maxBatch()).isEqualTo(1);
        });
    }
}
