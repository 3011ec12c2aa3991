package dev.exitrl.gateway;

import dev.exitrl.taskapi.TaskSpaceClient;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The gateway's edge: the API key check, the request-size limit and the headers the services see.
 *
 * <ul>
 *   <li>{@code /api/**} and {@code /actuator/**} need {@code Authorization: Bearer <key>} (401 problem+json with
 *       {@code WWW-Authenticate} otherwise), except the health probes and the Prometheus scrape; the OpenAPI
 *       documents and the dashboard's static assets are public. A read key may only GET and HEAD (403).
 *   <li>A body over {@code exit.gateway.max-request-size} is refused with 413 before it is forwarded; a chunked body
 *       (no Content-Length) is read up to the limit first.
 *   <li>The forwarded request loses the caller's {@code Authorization} and any {@code X-Exit-Internal-Token} it
 *       sent, and carries the gateway's internal token instead: the services trust the token, not the caller.
 * </ul>
 *
 * The path is the container's decoded and normalised one (servlet path + path info), as in the services' filter.
 */
final class EdgeFilter extends OncePerRequestFilter {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeFilter.class);
    private static final String REALM = "Bearer realm=\"exit\"";

    private final ApiKeys keys;
    private final String internalToken;
    private final long maxRequestBytes;

    /**
     * @param keys the API keys; null when the check is off ({@code exit.gateway.auth.enabled=false})
     * @param internalToken the token forwarded to the services; null when none
     */
    EdgeFilter(ApiKeys keys, String internalToken, long maxRequestBytes) {
        this.keys = keys;
        this.internalToken = internalToken;
        this.maxRequestBytes = maxRequestBytes;
    }

    /** Whether {@code path} needs an API key. */
    static boolean needsKey(String path) {
        if (path.equals("/actuator/health") || path.startsWith("/actuator/health/")) {
            return false;
        }
        if (path.equals("/actuator/prometheus")) {
            return false;
        }
        return path.equals("/api")
                || path.startsWith("/api/")
                || path.equals("/actuator")
                || path.startsWith("/actuator/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String info = request.getPathInfo();
        String path = request.getServletPath() + (info == null ? "" : info);
        String method = request.getMethod();
        if (keys != null && needsKey(path)) {
            String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
            if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                response.setHeader(HttpHeaders.WWW_AUTHENTICATE, REALM);
                Problems.write(
                        response,
                        HttpStatus.UNAUTHORIZED,
                        "an API key is required: Authorization: Bearer <key>",
                        request.getRequestURI());
                return;
            }
            Optional<ApiKeys.ApiKey> key = keys.find(authorization.substring(7).strip());
            if (key.isEmpty()) {
                // Never the presented value: a mistyped key is still a secret.
                LOG.info("Refused {} {}: unknown API key", method, path);
                response.setHeader(HttpHeaders.WWW_AUTHENTICATE, REALM + ", error=\"invalid_token\"");
                Problems.write(response, HttpStatus.UNAUTHORIZED, "the API key is not valid", request.getRequestURI());
                return;
            }
            if (!key.get().role().allows(method)) {
                LOG.info(
                        "Refused {} {}: API key '{}' is read-only",
                        method,
                        path,
                        key.get().name());
                Problems.write(
                        response,
                        HttpStatus.FORBIDDEN,
                        "the API key '" + key.get().name() + "' is read-only: GET and HEAD only",
                        request.getRequestURI());
                return;
            }
        }
        long length = request.getContentLengthLong();
        if (length > maxRequestBytes) {
            tooLarge(request, response);
            return;
        }
        byte[] body = null;
        if (length < 0 && request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
            body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxRequestBytes + 1));
            if (body.length > maxRequestBytes) {
                tooLarge(request, response);
                return;
            }
        }
        chain.doFilter(new Forwarded(request, internalToken, body), response);
    }

    private void tooLarge(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // The rest of the body is not read: close the connection rather than drain it.
        response.setHeader(HttpHeaders.CONNECTION, "close");
        Problems.write(
                response,
                HttpStatus.CONTENT_TOO_LARGE,
                "the request body is larger than " + maxRequestBytes + " bytes (exit.gateway.max-request-size)",
                request.getRequestURI());
    }

    /** The request as the services get it: the caller's credentials replaced by the internal token. */
    static final class Forwarded extends HttpServletRequestWrapper {
        private final String internalToken;
        private final byte[] body;

        Forwarded(HttpServletRequest request, String internalToken, byte[] body) {
            super(request);
            this.internalToken = internalToken;
            this.body = body;
        }

        private static boolean hidden(String name) {
            return name.equalsIgnoreCase(HttpHeaders.AUTHORIZATION)
                    || name.equalsIgnoreCase(TaskSpaceClient.INTERNAL_TOKEN_HEADER);
        }

        @Override
        public String getHeader(String name) {
            if (name.equalsIgnoreCase(TaskSpaceClient.INTERNAL_TOKEN_HEADER)) {
                return internalToken;
            }
            return hidden(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            if (name.equalsIgnoreCase(TaskSpaceClient.INTERNAL_TOKEN_HEADER)) {
                return internalToken == null
                        ? Collections.emptyEnumeration()
                        : Collections.enumeration(List.of(internalToken));
            }
            return hidden(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            var names = Collections.list(super.getHeaderNames());
            names.removeIf(Forwarded::hidden);
            if (internalToken != null) {
                names.add(TaskSpaceClient.INTERNAL_TOKEN_HEADER);
            }
            return Collections.enumeration(names);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (body == null) {
                return super.getInputStream();
            }
            var in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the buffered body is read blocking");
                }
            };
        }
    }
}
