package dev.exitrl.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

/** Secure by default: no token, no service (unless the check is switched off explicitly). */
class InternalAuthAutoConfigurationTest {
    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(InternalAuthAutoConfiguration.class));

    @Test
    void withoutATokenTheServiceRefusesToStartAndSaysHowToFixIt() {
        runner.run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("exit.internal-token (env EXIT_INTERNAL_TOKEN) is not set")
                    .hasMessageContaining("exit.internal-auth.enabled=false");
        });
    }

    @Test
    void aShortTokenIsRefusedWithoutBeingShown() {
        runner.withPropertyValues("exit.internal-token=short-secret").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("shorter than 16");
            assertThat(String.valueOf(context.getStartupFailure())).doesNotContain("short-secret");
        });
    }

    @Test
    void aTokenInstallsTheFilterOnEveryPath() {
        runner.withPropertyValues("exit.internal-token=0123456789abcdef0123").run(context -> {
            assertThat(context).hasNotFailed();
            FilterRegistrationBean<?> registration = context.getBean(FilterRegistrationBean.class);
            assertThat(registration.isEnabled()).isTrue();
            assertThat(registration.getUrlPatterns()).containsExactly("/*");
            assertThat(context.getBean(InternalAuthProperties.class).toString()).doesNotContain("0123456789abcdef0123");
        });
    }

    @Test
    void theCheckCanBeSwitchedOffExplicitly() {
        runner.withPropertyValues("exit.internal-auth.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(FilterRegistrationBean.class).isEnabled())
                    .isFalse();
        });
    }
}
