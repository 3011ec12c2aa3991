package dev.exitrl.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exitrl.core.domain.countdown.CountdownDomain;
import dev.exitrl.core.domain.math.MathDomain;
import dev.exitrl.core.reward.RewardMode;
import java.util.List;
import org.junit.jupiter.api.Test;

class DomainRegistryTest {

    @Test
    void builtInsAreMathAndCountdown() {
        DomainRegistry registry = DomainRegistry.builtIn();
        assertThat(registry.ids()).containsExactly("math", "countdown");
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
                .hasMessageContaining("[math, countdown]");
        assertThat(DomainRegistry.builtIn().find("chess")).isEmpty();
    }

    @Test
    void serviceLoaderAddsDomainsFromTheClassPath() {
        DomainRegistry registry = DomainRegistry.load();
        assertThat(registry.ids()).containsExactly("math", "countdown", "echo-test");
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
