package dev.exitrl.testsupport;

import dev.exitrl.taskapi.TaskSpaceClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;

/**
 * Plain HTTP calls against a service under test, for the checks every service shares (health, metrics, the internal
 * token). GETs carry the internal token ({@link TestTokens}), which the exempt actuator paths ignore.
 */
public final class ServiceProbe {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ServiceProbe() {}

    /** The body of {@code GET http://localhost:port/path}; fails unless the status is 200. */
    public static String getOk(int port, String path) {
        try {
            var response = HTTP.send(
                    TestTokens.request(URI.create("http://localhost:" + port + path))
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

    /**
     * Asserts that {@code method path} (a body of {@code {}} for anything but GET) is refused with 401
     * problem+json without the internal token and with a wrong one: a caller that bypasses the gateway gets nothing.
     */
    public static void assertRefusedWithoutToken(int port, String method, String path) {
        for (String token : new String[] {null, "wrong-" + TestTokens.INTERNAL_TOKEN}) {
            var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header("Content-Type", "application/json")
                    .method(
                            method,
                            method.equals("GET")
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString("{}"));
            if (token != null) {
                request.header(TaskSpaceClient.INTERNAL_TOKEN_HEADER, token);
            }
            var response = send(request.build());
            String what = method + " " + path + (token == null ? " without a token" : " with a wrong token");
            if (response.statusCode() != 401) {
                throw new AssertionError(what + " answered " + response.statusCode() + ": " + response.body());
            }
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (!type.startsWith("application/problem+json") || !response.body().contains("\"status\":401")) {
                throw new AssertionError(what + " is no 401 problem+json: " + type + " " + response.body());
            }
        }
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Asserts that the service on {@code port} accepts connections on loopback and on none of this machine's other
     * addresses (local mode binds to 127.0.0.1); returns how many other addresses were tried (0: the machine has
     * none, so only the loopback half was checked).
     */
    public static int assertLoopbackOnly(int port) {
        if (!accepts(InetAddress.getLoopbackAddress(), port)) {
            throw new AssertionError("nothing listens on 127.0.0.1:" + port);
        }
        var others = new ArrayList<InetAddress>();
        try {
            NetworkInterface.networkInterfaces()
                    .forEach(nic -> nic.inetAddresses()
                            .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                            .forEach(others::add));
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
        for (InetAddress address : others) {
            if (accepts(address, port)) {
                throw new AssertionError("port " + port + " accepts connections on " + address.getHostAddress());
            }
        }
        return others.size();
    }

    private static boolean accepts(InetAddress address, int port) {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2000);
            return true;
        } catch (IOException refused) {
            return false;
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
