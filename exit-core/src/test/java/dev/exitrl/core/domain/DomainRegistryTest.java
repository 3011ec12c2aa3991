package dev.exitrl.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exitrl.core.domain.countdown.CountdownDomain;
import dev.exitrl.core.domain.math.MathDomain;
import dev.exitrl.core.domain.mle.MleDomain;
import dev.exitrl.core.domain.tooluse.ToolUseDomain;
import dev.exitrl.core.reward.RewardMode;
import java.util.List;
import org.junit.jupiter.api.Test;

class DomainRegistryTest {
    private static final String[] BUILT_INS = {"math", "countdown", "tool-use", "mle"};

    @Test
    void builtInsAreMathCountdownToolUseAndMle() {
        DomainRegistry registry = DomainRegistry.builtIn();
        assertThat(registry.ids()).containsExactly(BUILT_INS);
        assertThat(registry.get("tool-use")).isInstanceOf(ToolUseDomain.class);
        assertThat(registry.get("tool-use").isMultiTurn()).isTrue();
        assertThat(registry.get("math").isMultiTurn()).isFalse();
        assertThat(registry.get("mle")).isInstanceOf(MleDomain.class);
        assertThat(registry.get("mle").defaultRewardMode()).isEqualTo(RewardMode.MLE);
        assertThat(registry.get("math")).isInstanceOf(MathDomain.class);
        assertThat(registry.get("countdown")).isInstanceOf(CountdownDomain.class);
        assertThat(registry.get("math").defaultRewardMode()).isEqualTo(RewardMode.ABSOLUTE);
        assertThat(registry.get("countdown").defaultRewardMode()).isEqualTo(RewardMode.IMPROVEMENT);
    }

    @Test
    void unknownIdListsTheKnownIds() {
        assertThatThrownBy(() -> DomainRegistry.builtIn().get("chess"))
                .isInstanceOf(UnknownDomainException.class)
                .hasMessageContaining("'chess'")
                .hasMessageContaining("[math, countdown, tool-use, mle]");
        assertThat(DomainRegistry.builtIn().find("chess")).isEmpty();
    }

    @Test
    void serviceLoaderAddsDomainsFromTheClassPath() {
        DomainRegistry registry = DomainRegistry.load();
        assertThat(registry.ids()).endsWith("echo-test").contains(BUILT_INS).hasSize(BUILT_INS.length + 1);
        assertThat(registry.get("echo-test")).isInstanceOf(EchoTestDomain.class);
    }

    @Test
    void twoDomainsWithOneIdAreRejected() {
        assertThatThrownBy(() -> DomainRegistry.of(List.of(new MathDomain(), new MathDomain())))
                .hasMessageContaining("two domains with id 'math'");
    }

    @Test
    void theStandardRegistryIsLoadedOnce() {
        assertThat(DomainRegistry.standard()).isSameAs(DomainRegistry.standard());
        assertThat(DomainRegistry.standard().ids())
                .isEqualTo(DomainRegistry.load().ids());
    }
}
