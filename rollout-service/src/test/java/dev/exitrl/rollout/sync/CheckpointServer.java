package dev.exitrl.rollout.sync;

import com.sun.net.httpserver.HttpServer;
import dev.exitrl.policy.Policy;
import dev.exitrl.taskapi.TaskSpaceClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Serves checkpoint ZIPs over real HTTP (JDK server), as the trainer's checkpoint endpoint does. */
public final class CheckpointServer implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();

    /** A server that asks for no token. */
    public CheckpointServer() throws IOException {
        this(null);
    }

    /** A server that answers 401 unless the request carries {@code internalToken} (null: no check), as the trainer. */
    public CheckpointServer(String internalToken) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            if (internalToken != null
                    && !internalToken.equals(
                            exchange.getRequestHeaders().getFirst(TaskSpaceClient.INTERNAL_TOKEN_HEADER))) {
                exchange.sendResponseHeaders(401, -1);
                exchange.close();
                return;
            }
            byte[] body = files.get(exchange.getRequestURI().getPath());
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            exchange.getResponseHeaders().add("Content-Type", "application/zip");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    public URI serve(String path, byte[] body) {
        files.put(path, body);
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** The inference files of {@code policy} as the trainer zips them (config, weights, tokenizer). */
    public static byte[] zip(Policy policy, Path scratch) throws IOException {
        policy.save(scratch);
        var bytes = new ByteArrayOutputStream();
        try (var zip = new ZipOutputStream(bytes)) {
            for (String name : List.of("config.json", "model.safetensors", "tokenizer.json")) {
                zip.putNextEntry(new ZipEntry(name));
                zip.write(Files.readAllBytes(scratch.resolve(name)));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(CheckpointDownloader.sha256().digest(bytes));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
