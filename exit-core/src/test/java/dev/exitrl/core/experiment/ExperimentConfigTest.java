package dev.exitrl.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.core.buffer.ChildPolicy;
import dev.exitrl.core.reward.RewardMode;
import dev.exitrl.core.sampling.RankSampler;
import dev.exitrl.core.sampling.SamplerKind;
import dev.exitrl.core.sampling.SoftmaxSampler;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ExperimentConfigTest {
    @Test
    void everyDefaultIsValid() {
        for (String domain : new String[] {"math", "tool-use", "mle", "countdown", "other"}) {
            for (Preset preset : Preset.values()) {
                assertThat(ExperimentConfig.defaults(domain, preset).validate())
                        .as(domain + "/" + preset)
                        .isEmpty();
            }
        }
    }

    @Test
    void mathDefaultsAreThePapers() {
        var c = ExperimentConfig.defaults("math", Preset.EXIT);
        assertThat(c.model()).isEqualTo("meta-llama/Llama-3.2-3B-Instruct");
        assertThat(c.learningRate()).isEqualTo(1e-6);
        assertThat(c.promptsPerBatch()).isEqualTo(128);
        assertThat(c.rolloutsPerPrompt()).isEqualTo(8);
        assertThat(c.klBeta()).isEqualTo(0.001);
        assertThat(c.refUpdateEvery()).isEqualTo(100);
        assertThat(c.refUpdateAlpha()).isEqualTo(1.0);
        assertThat(c.bufferCapacity()).isEqualTo(512);
        assertThat(c.bufferMinSize()).isEqualTo(128);
        assertThat(c.selectProbability()).isEqualTo(0.5);
        assertThat(c.divergeProbability()).isEqualTo(0.2);
        assertThat(c.epochsPerBatch()).isEqualTo(1);
        assertThat(c.evaluationSteps()).isEqualTo(16);
        assertThat(c.kappa()).isEqualTo(10);
        assertThat(c.sampler()).isEqualTo(SamplerKind.SOFTMAX);
        assertThat(c.clipEpsilon()).isEqualTo(0.2);
        assertThat(c.childPolicy()).isEqualTo(ChildPolicy.ALL);
        assertThat(c.dropZeroVarianceGroups()).isFalse();
        assertThat(c.maxStaleness()).isZero();
        assertThat(c.rewardMode()).isNull();
        assertThat(c.effectiveRewardMode()).isEqualTo(RewardMode.ABSOLUTE);
        assertThat(c.bufferSampler()).isEqualTo(new SoftmaxSampler(10));
    }

    @Test
    void registeredDomainDecidesTheDefaultRewardMode() {
        // countdown's graded quality makes improvement measurable: its domain asks for the improvement reward.
        assertThat(ExperimentConfig.defaults("countdown", Preset.EXIT).effectiveRewardMode())
                .isEqualTo(RewardMode.IMPROVEMENT);
    }

    @Test
    void toolUseAndMleColumns() {
        var grpo = ExperimentConfig.defaults("tool-use", Preset.GRPO);
        var curriculum = ExperimentConfig.defaults("tool-use", Preset.CURRICULUM);
        var diverge = ExperimentConfig.defaults("tool-use", Preset.DIVERGE);
        var exit = ExperimentConfig.defaults("tool-use", Preset.EXIT);
        assertThat(grpo.learningRate()).isEqualTo(1e-6);
        assertThat(exit.learningRate()).isEqualTo(1e-6);
        assertThat(curriculum.learningRate()).isEqualTo(5e-7);
        assertThat(curriculum.bufferCapacity()).isEqualTo(320);
        assertThat(curriculum.bufferMinSize()).isEqualTo(320);
        assertThat(curriculum.selectProbability()).isEqualTo(0.2);
        assertThat(exit.bufferCapacity()).isEqualTo(640);
        assertThat(exit.bufferMinSize()).isEqualTo(320);
        assertThat(exit.selectProbability()).isEqualTo(0.5);
        assertThat(diverge.effectiveDivergeProbability()).isEqualTo(0.2);
        assertThat(exit.effectiveDivergeProbability()).isEqualTo(0.5);
        assertThat(exit.promptsPerBatch()).isEqualTo(16);
        assertThat(exit.epochsPerBatch()).isEqualTo(2);
        assertThat(exit.evaluationSteps()).isEqualTo(4);

        var mle = ExperimentConfig.defaults("mle", Preset.EXIT);
        assertThat(mle.model()).isEqualTo("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B");
        assertThat(mle.promptsPerBatch()).isEqualTo(4);
        assertThat(mle.refUpdateAlpha()).isEqualTo(0.5);
        assertThat(mle.bufferCapacity()).isEqualTo(24);
        assertThat(mle.bufferMinSize()).isEqualTo(3);
        assertThat(mle.effectiveDivergeProbability()).isEqualTo(0.5);
        assertThat(mle.effectiveRewardMode()).isEqualTo(RewardMode.MLE);
    }

    @Test
    void validationReportsEveryViolatedRuleWithFieldAndRange() {
        var bad = new ExperimentConfig(
                " ", null, "", 1, 0, 0, 1, -1, 0, 1.5, 10, 11, 1.2, -0.1, 0, null, 0, 2, null, null, 1.0, 0, 0, false,
                -1, false, 0, 0, null, 0, -5L);
        var violations = bad.validate();
        assertThat(violations)
                .extracting(Violation::field)
                .containsExactlyInAnyOrder(
                        "domain",
                        "preset",
                        "model",
                        "learningRate",
                        "promptsPerBatch",
                        "rolloutsPerPrompt",
                        "klBeta",
                        "refUpdateEvery",
                        "refUpdateAlpha",
                        "bufferMinSize",
                        "selectProbability",
                        "divergeProbability",
                        "kappa",
                        "sampler",
                        "rankTemperature",
                        "stalenessMix",
                        "childPolicy",
                        "clipEpsilon",
                        "advantageEpsilon",
                        "epochsPerBatch",
                        "maxStaleness",
                        "iterations",
                        "evaluationSteps",
                        "maxIterations",
                        "maxTokens");
        assertThat(violations)
                .filteredOn(v -> v.field().equals("rolloutsPerPrompt"))
                .singleElement()
                .extracting(Violation::message)
                .isEqualTo("must be >= 2 (GRPO needs a group), was 1");
        assertThat(violations)
                .filteredOn(v -> v.field().equals("bufferMinSize"))
                .singleElement()
                .extracting(Violation::message)
                .isEqualTo("must be in [1, bufferCapacity = 10], was 11");
        assertThat(violations)
                .filteredOn(v -> v.field().equals("clipEpsilon"))
                .singleElement()
                .extracting(Violation::message)
                .isEqualTo("must be in (0, 1), was 1.0");
    }

    @Test
    void nanIsRejected() {
        var base = ExperimentConfig.defaults("countdown", Preset.EXIT);
        var nan = new ExperimentConfig(
                base.domain(),
                base.preset(),
                base.model(),
                base.seed(),
                base.learningRate(),
                base.promptsPerBatch(),
                base.rolloutsPerPrompt(),
                base.klBeta(),
                base.refUpdateEvery(),
                base.refUpdateAlpha(),
                base.bufferCapacity(),
                base.bufferMinSize(),
                Double.NaN,
                base.divergeProbability(),
                Double.NaN,
                base.sampler(),
                base.rankTemperature(),
                base.stalenessMix(),
                base.rewardMode(),
                base.childPolicy(),
                base.clipEpsilon(),
                base.advantageEpsilon(),
                base.epochsPerBatch(),
                base.dropZeroVarianceGroups(),
                base.maxStaleness(),
                base.diversityBonus(),
                base.iterations(),
                base.evaluationSteps(),
                null,
                null,
                null);
        assertThat(nan.validate()).extracting(Violation::field).containsExactly("selectProbability", "kappa");
    }

    @Test
    void jsonRoundTripWithLowerCaseIds() {
        var mapper = JsonMapper.builder().build();
        var config = new ExperimentConfig(
                "countdown",
                Preset.DIVERGE,
                "/models/tiny",
                7,
                1e-6,
                8,
                8,
                0.001,
                100,
                1.0,
                64,
                16,
                0.5,
                0.2,
                10,
                SamplerKind.RANK,
                0.1,
                0.1,
                RewardMode.IMPROVEMENT,
                ChildPolicy.RANDOM_ONE,
                0.2,
                1e-6,
                1,
                true,
                1,
                false,
                50,
                8,
                null,
                100,
                5000L);
        String json = mapper.writeValueAsString(config);
        assertThat(json)
                .contains(
                        "\"preset\":\"diverge\"",
                        "\"sampler\":\"rank\"",
                        "\"childPolicy\":\"random-one\"",
                        "\"rewardMode\":\"improvement\"",
                        "\"rolloutsPerPrompt\":8");
        assertThat(mapper.readValue(json, ExperimentConfig.class)).isEqualTo(config);
        assertThat(config.bufferSampler()).isEqualTo(new RankSampler(0.1, 0.1));

        var withNullMode = ExperimentConfig.defaults("mle", Preset.EXIT);
        assertThat(mapper.readValue(mapper.writeValueAsString(withNullMode), ExperimentConfig.class))
                .isEqualTo(withNullMode);
    }
}
