package dev.exitrl.task;

import dev.exitrl.core.domain.DomainRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The domains this service knows: the built-ins plus any found on the class path (ServiceLoader). */
@Configuration(proxyBeanMethods = false)
class DomainConfiguration {
    @Bean
    DomainRegistry domainRegistry() {
        return DomainRegistry.standard();
    }
}
