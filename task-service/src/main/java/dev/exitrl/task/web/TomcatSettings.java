package dev.exitrl.task.web;

import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tomcat refuses an encoded slash ({@code %2F}) in a path by itself, with an HTML page. Passing it through lets the
 * request reach Spring, which answers like any other bad path variable: 400 problem+json naming the variable.
 */
@Configuration(proxyBeanMethods = false)
class TomcatSettings {
    @Bean
    TomcatConnectorCustomizer encodedSlashesReachTheApplication() {
        return connector -> connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue());
    }
}
