package dev.scalableapi.gateway.support;

import io.netty.channel.ChannelOption;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.impl.ConnectionBase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real upstream for the gateway's tests: a Vert.x HTTP server on a free port that answers every request with
 * what it received, as JSON ({@code server}, {@code method}, {@code uri}, {@code bodyBytes} and {@code headers}:
 * lower-case name → every value, so duplicates show). The query parameter {@code upstream} tells it to misbehave:
 * <ul>
 * <li>{@code upstream=slow&ms=N}: answer only after N ms</li>
 * <li>{@code upstream=close}: promise 10 000 bytes, send 100, then close the connection</li>
 * <li>{@code upstream=close-chunked}: the same without a length (chunked)</li>
 * <li>{@code upstream=drop}: close the connection without answering</li>
 * <li>{@code upstream=drop-at&at=NAME}: the same on the upstream named NAME; the others echo</li>
 * <li>{@code upstream=gzipped}: a JSON body the upstream compresses itself when the request accepts gzip</li>
 * <li>{@code upstream=big}: a large (≈ 200 KB) JSON body</li>
 * <li>{@code upstream=reset-after}: echo, naming the connection in {@code X-Upstream-Connection}, then reset that
 * connection (an RST, in the same event-loop turn, without {@code Connection: close}): the pooled connection is dead
 * before the gateway can reuse it</li>
 * <li>{@code upstream=connection-open&id=N}: {@code {"open": …}}, whether connection N is still open on either
 * side — here, or on the gateway's, until its kernel has taken the reset (asked directly, not through the
 * gateway)</li>
 * </ul>
 * Since the server is controlled through the request itself, it needs no state shared with the test class
 * (which Quarkus loads in another class loader).
 */
public final class EchoUpstream implements AutoCloseable {

    private final Vertx vertx;
    private final HttpServer server;
    private final String name;

    private EchoUpstream(Vertx vertx, HttpServer server, String name) {
        this.vertx = vertx;
        this.server = server;
        this.name = name;
    }

    public static EchoUpstream start(String name) {
        Vertx vertx = Vertx.vertx();
        Map<HttpConnection, Long> connections = new ConcurrentHashMap<>();
        Map<Long, Integer> peerPorts = new ConcurrentHashMap<>();
        AtomicLong ids = new AtomicLong();
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setMaxHeaderSize(64 * 1024))
                .connectionHandler(connection -> {
                    long id = ids.incrementAndGet();
                    connections.put(connection, id);
                    peerPorts.put(id, connection.remoteAddress().port());
                    connection.closeHandler(closed -> connections.remove(connection));
                })
                .requestHandler(request -> handle(vertx, name, connections, peerPorts, request));
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("echo upstream did not start", e);
        }
        return new EchoUpstream(vertx, server, name);
    }

    public int port() {
        return server.actualPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /**
     * This upstream as an entry of {@code gateway.upstream.url}: it answers the readiness probe
     * ({@code /q/health/ready}, like anything else) on its one port, which therefore is its health port too.
     */
    public String asBalancer() {
        return url() + ";health-port=" + port();
    }

    private static void handle(Vertx vertx, String name, Map<HttpConnection, Long> connections,
            Map<Long, Integer> peerPorts, HttpServerRequest request) {
        request.body().onSuccess(body -> {
            String mode = request.getParam("upstream", "echo");
            switch (mode) {
                case "slow" -> vertx.setTimer(Long.parseLong(request.getParam("ms", "3000")),
                        t -> echo(name, request, body));
                case "close" -> {
                    request.response().putHeader("Content-Type", "application/json")
                            .putHeader("Content-Length", "10000");
                    request.response().write(Buffer.buffer("x".repeat(100)))
                            .onComplete(w -> vertx.setTimer(50,
                                    t -> request.connection().close()));
                }
                case "drop" -> request.connection().close();
                case "drop-at" -> {
                    if (name.equals(request.getParam("at"))) {
                        request.connection().close();
                    } else {
                        echo(name, request, body);
                    }
                }
                case "reset-after" -> {
                    request.response().putHeader("X-Upstream-Connection",
                            String.valueOf(connections.get(request.connection())));
                    echo(name, request, body);
                    // Vert.x has no per-connection socket options: the linger is set on the Netty channel itself.
                    ((ConnectionBase) request.connection()).channel().config().setOption(ChannelOption.SO_LINGER, 0);
                    request.connection().close();
                }
                case "connection-open" -> {
                    long id = Long.parseLong(request.getParam("id"));
                    boolean open = connections.containsValue(id)
                            || socketListed(peerPorts.get(id), request.localAddress().port());
                    request.response().putHeader("Content-Type", "application/json")
                            .end(new JsonObject().put("open", open).encode());
                }
                case "gzipped" -> {
                    // like a server with compression on: gzip only for a client that accepts it
                    byte[] json = ("{\"server\":\"" + name + "\",\"pad\":\"" + "z".repeat(5000) + "\"}")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    String accepts = request.getHeader("Accept-Encoding");
                    request.response().putHeader("Content-Type", "application/json");
                    if (accepts == null || !accepts.contains("gzip")) {
                        request.response().end(Buffer.buffer(json));
                        return;
                    }
                    java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
                    try (var gzip = new java.util.zip.GZIPOutputStream(zipped)) {
                        gzip.write(json);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    request.response().putHeader("Content-Encoding", "gzip").end(Buffer.buffer(zipped.toByteArray()));
                }
                case "close-chunked" -> {
                    request.response().putHeader("Content-Type", "application/json").setChunked(true);
                    request.response().write(Buffer.buffer("[" + "1,".repeat(50)))
                            .onComplete(w -> vertx.setTimer(50, t -> request.connection().close()));
                }
                case "big" -> {
                    JsonArray items = new JsonArray();
                    for (int i = 0; i < 2000; i++) {
                        items.add(new JsonObject().put("id", i).put("name", "item number " + i)
                                .put("description", "a compressible description of item " + i));
                    }
                    request.response().putHeader("Content-Type", "application/json")
                            .putHeader("X-Request-ID", String.valueOf(request.getHeader("X-Request-ID")))
                            .end(new JsonObject().put("server", name).put("data", items).encode());
                }
                default -> echo(name, request, body);
            }
        });
    }

    /**
     * Whether the kernel still lists a TCP socket from {@code localPort} to {@code remotePort} (Linux:
     * /proc/net/tcp*): a reset goes through the loopback queue, later under load, and a socket leaves the table once
     * it has taken it.
     */
    private static boolean socketListed(int localPort, int remotePort) {
        String local = String.format(":%04X", localPort);
        String remote = String.format(":%04X", remotePort);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] fields = line.trim().split("\\s+");
                    if (fields[1].endsWith(local) && fields[2].endsWith(remote)) {
                        return true;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return false;
    }

    private static void echo(String name, HttpServerRequest request, Buffer body) {
        JsonObject headers = new JsonObject();
        request.headers().forEach(entry -> {
            String key = entry.getKey().toLowerCase(Locale.ROOT);
            JsonArray values = headers.getJsonArray(key);
            if (values == null) {
                values = new JsonArray();
                headers.put(key, values);
            }
            values.add(entry.getValue());
        });
        JsonObject echo = new JsonObject().put("server", name).put("method", request.method().name())
                .put("uri", request.uri()).put("bodyBytes", body.length()).put("headers", headers);
        if (request.getHeader("X-Request-ID") != null) {
            request.response().putHeader("X-Request-ID", request.getHeader("X-Request-ID")); // as api-service does
        }
        request.response().putHeader("Content-Type", "application/json").end(echo.encode());
    }

    @Override
    public void close() {
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // closing anyway
        } finally {
            vertx.close();
        }
    }
}
