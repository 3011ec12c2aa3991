package dev.exitrl.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Plain HTTP GETs against a service under test, for the checks every service shares (health, metrics). */
public final class ServiceProbe {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ServiceProbe() {}

    /** The body of {@code GET http://localhost:port/path}; fails unless the status is 200. */
    public static String getOk(int port, String path) {
        try {
            var response = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Asserts the Prometheus endpoint carries the common tags {@code application} and {@code service}. */
    public static void assertCommonTags(int port, String service) {
        String body = getOk(port, "/actuator/prometheus");
        for (String tag : new String[] {"application=\"" + service + "\"", "service=\"" + service + "\""}) {
            if (!body.contains(tag)) {
                throw new AssertionError("/actuator/prometheus has no " + tag);
            }
        }
    }

    /** Asserts the liveness and readiness probes answer UP. */
    public static void assertProbesUp(int port) {
        for (String probe : new String[] {"/actuator/health/liveness", "/actuator/health/readiness"}) {
            if (!getOk(port, probe).contains("\"UP\"")) {
                throw new AssertionError(probe + " is not UP");
            }
        }
    }
}
