package dev.exitrl.security;

import dev.exitrl.taskapi.TaskSpaceClient;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses every request without the internal token ({@value TaskSpaceClient#INTERNAL_TOKEN_HEADER}) with 401
 * problem+json, except the health probes, the Prometheus scrape and the OpenAPI documents. Deny by default (not
 * only {@code /api/**}): a path this filter does not know is protected. The path is the container's decoded and
 * normalised one (servlet path + path info), so {@code ;params} or {@code ..} cannot dress an API path as exempt.
 */
public final class InternalTokenFilter extends OncePerRequestFilter {
    private static final Logger LOG = LoggerFactory.getLogger(InternalTokenFilter.class);

    private final byte[] expectedHash;

    public InternalTokenFilter(String token) {
        this.expectedHash = Secrets.sha256(token);
    }

    /** Paths anyone may read: probes, the scrape, the OpenAPI documents and Swagger UI, the error page. */
    public static boolean isExempt(String path) {
        return path.equals("/actuator/health")
                || path.startsWith("/actuator/health/")
                || path.equals("/actuator/prometheus")
                || path.equals("/v3/api-docs")
                || path.startsWith("/v3/api-docs/")
                || path.equals("/v3/api-docs.yaml")
                || path.equals("/swagger-ui.html")
                || path.startsWith("/swagger-ui/")
                || path.equals("/error");
    }

    static String pathOf(HttpServletRequest request) {
        String info = request.getPathInfo();
        return request.getServletPath() + (info == null ? "" : info);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return isExempt(pathOf(request));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String presented = request.getHeader(TaskSpaceClient.INTERNAL_TOKEN_HEADER);
        if (Secrets.matches(presented, expectedHash)) {
            chain.doFilter(request, response);
            return;
        }
        String why = presented == null ? "missing" : "wrong";
        // Never the presented value: a client that confused its API key with the token would leak it here.
        LOG.debug("Refused {} {}: {} internal token", request.getMethod(), pathOf(request), why);
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter()
                .write("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"" + why
                        + " " + TaskSpaceClient.INTERNAL_TOKEN_HEADER
                        + ": this service answers only the gateway and the other services\"}");
    }
}
