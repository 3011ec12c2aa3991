package dev.exitrl.gateway;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * A backend that cannot be reached or does not answer in time is the backend's state, not a gateway bug: 503 when
 * the connection fails (down, not yet started, unknown host), 504 when it does not answer within
 * {@code spring.http.clients.read-timeout}, 502 for any other transport failure, each as problem+json and one WARN
 * line without a stack trace (instead of 500 and an ERROR with one).
 */
final class BackendErrors implements HandlerExceptionResolver, Ordered {
    private static final Logger LOG = LoggerFactory.getLogger(BackendErrors.class);

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    /** The answer for {@code error}, or null when it is not a transport failure towards a backend. */
    static HttpStatus statusFor(Throwable error) {
        HttpStatus status = null;
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getClass().getName().endsWith("ClientAbortException")) {
                return null; // the caller went away: nothing to answer
            }
            if (t instanceof ConnectException
                    || t instanceof HttpConnectTimeoutException
                    || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException) {
                return HttpStatus.SERVICE_UNAVAILABLE;
            }
            if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException) {
                return HttpStatus.GATEWAY_TIMEOUT;
            }
            if (t instanceof IOException && status == null) {
                status = HttpStatus.BAD_GATEWAY;
            }
        }
        return status;
    }

    @Override
    public ModelAndView resolveException(
            HttpServletRequest request, HttpServletResponse response, Object handler, Exception error) {
        HttpStatus status = statusFor(error);
        if (status == null) {
            return null;
        }
        String detail = switch (status) {
            case SERVICE_UNAVAILABLE -> "the service behind this route is not reachable; try again later";
            case GATEWAY_TIMEOUT -> "the service behind this route did not answer in time";
            default -> "the service behind this route failed to answer";
        };
        LOG.warn("{} {} -> {}: {}", request.getMethod(), request.getRequestURI(), status.value(), describe(error));
        if (response.isCommitted()) {
            return new ModelAndView();
        }
        try {
            response.reset();
            if (status == HttpStatus.SERVICE_UNAVAILABLE) {
                response.setHeader("Retry-After", "5");
            }
            Problems.write(response, status, detail, request.getRequestURI());
        } catch (IOException e) {
            LOG.debug("Could not write the {} answer: {}", status.value(), e.toString());
        }
        return new ModelAndView();
    }

    /** The chain of causes, one line: enough to tell which backend and why, without a stack trace. */
    private static String describe(Throwable error) {
        var out = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (!out.isEmpty()) {
                out.append(" <- ");
            }
            out.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                out.append(": ").append(t.getMessage());
            }
        }
        return out.toString();
    }
}
