package dev.exitrl.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.core.buffer.ChildPolicy;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ExperimentRequestsTest {
    private final JsonMapper mapper = JsonMapper.builder().build();

    private ExperimentRequests.Result read(String json) {
        return ExperimentRequests.read(mapper, mapper.readTree(json));
    }

    @Test
    void partialRequestOverridesTheDomainDefaults() {
        var result = read(
                "{\"domain\":\"tool-use\",\"preset\":\"exit\",\"rolloutsPerPrompt\":4,\"childPolicy\":\"best\",\"seed\":99}");
        assertThat(result.violations()).isEmpty();
        assertThat(result.isValid()).isTrue();
        var expected = ExperimentConfig.defaults("tool-use", Preset.EXIT);
        assertThat(result.config().rolloutsPerPrompt()).isEqualTo(4);
        assertThat(result.config().childPolicy()).isEqualTo(ChildPolicy.BEST);
        assertThat(result.config().seed()).isEqualTo(99);
        assertThat(result.config().bufferCapacity()).isEqualTo(expected.bufferCapacity());
        assertThat(result.config().divergeProbability()).isEqualTo(0.5);
    }

    @Test
    void warmStartIsAnOptionalSwitch() {
        assertThat(read("{\"domain\":\"countdown\",\"preset\":\"exit\"}")
                        .config()
                        .warmStart())
                .isNull();
        assertThat(read("{\"domain\":\"countdown\",\"preset\":\"exit\",\"warmStart\":false}")
                        .config()
                        .warmStart())
                .isFalse();
        assertThat(read("{\"domain\":\"countdown\",\"preset\":\"exit\",\"warmStart\":\"yes\"}")
                        .violations())
                .extracting(Violation::field)
                .containsExactly("warmStart");
    }

    @Test
    void budgetsAreOptionalPositiveWholeNumbers() {
        var none = read("{\"domain\":\"countdown\",\"preset\":\"exit\"}").config();
        assertThat(none.maxIterations()).isNull();
        assertThat(none.maxTokens()).isNull();
        assertThat(none.hasBudget()).isFalse();
        var set = read("{\"domain\":\"countdown\",\"preset\":\"exit\",\"maxIterations\":12,"
                        + "\"maxTokens\":5000000000}")
                .config();
        assertThat(set.maxIterations()).isEqualTo(12);
        assertThat(set.maxTokens()).isEqualTo(5_000_000_000L);
        assertThat(set.hasBudget()).isTrue();
        assertThat(read("{\"domain\":\"countdown\",\"preset\":\"exit\",\"maxIterations\":0,\"maxTokens\":-1}")
                        .violations())
                .extracting(Violation::field)
                .containsExactly("maxIterations", "maxTokens");
        assertThat(read("{\"domain\":\"countdown\",\"preset\":\"exit\",\"maxIterations\":2.5,"
                                + "\"maxTokens\":\"10\"}")
                        .violations())
                .extracting(Violation::field)
                .containsExactlyInAnyOrder("maxIterations", "maxTokens");
    }

    @Test
    void missingDomainAndPresetAreReportedTogether() {
        assertThat(read("{\"preset\":\"fancy\"}").violations())
                .extracting(Violation::field)
                .containsExactly("domain", "preset");
        assertThat(read("{\"domain\":\"math\",\"preset\":\"fancy\"}").violations())
                .singleElement()
                .extracting(Violation::message)
                .asString()
                .contains("unknown preset 'fancy'", "grpo, curriculum");
        assertThat(read("[1,2]").violations())
                .singleElement()
                .extracting(Violation::message)
                .isEqualTo("the request must be a JSON object");
    }

    @Test
    void everyTypeAndRangeProblemIsAViolationNotAnException() {
        var types = read("{\"domain\":\"math\",\"preset\":\"exit\",\"rolloutsPerPrompt\":2.5,\"kappa\":\"ten\","
                + "\"seed\":null,\"sampler\":\"greedy\",\"diversityBonus\":1,\"bogus\":3}");
        assertThat(types.config()).isNull();
        assertThat(types.violations())
                .extracting(Violation::field)
                .containsExactly("rolloutsPerPrompt", "kappa", "seed", "sampler", "diversityBonus", "bogus");
        assertThat(types.violations().get(3).message()).contains("unknown sampler 'greedy'");

        var ranges = read("{\"domain\":\"math\",\"preset\":\"exit\",\"rolloutsPerPrompt\":1,\"bufferMinSize\":600}");
        assertThat(ranges.isValid()).isFalse();
        assertThat(ranges.violations())
                .extracting(Violation::field)
                .containsExactly("rolloutsPerPrompt", "bufferMinSize");
        assertThat(ranges.violations().get(1).message()).isEqualTo("must be in [1, bufferCapacity = 512], was 600");
    }

    @Test
    void nullRewardModeMeansTheDomainDefault() {
        var result = read("{\"domain\":\"mle\",\"preset\":\"diverge\",\"rewardMode\":null}");
        assertThat(result.isValid()).isTrue();
        assertThat(result.config().rewardMode()).isNull();
    }
}
