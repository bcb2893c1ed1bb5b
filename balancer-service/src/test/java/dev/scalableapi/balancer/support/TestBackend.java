package dev.scalableapi.balancer.support;

import dev.scalableapi.testsupport.Management;

import io.netty.channel.ChannelOption;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.impl.ConnectionBase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;

/**
 * One real upstream: a Vert.x {@link HttpServer} on 127.0.0.1 with a few API routes and, like api-service, its
 * readiness path on a management port of its own, plus switches the tests flip to make it slow, failing, draining,
 * hanging or dead.
 *
 * <ul>
 * <li>{@code GET /q/health/ready} on {@link #managementPort()} — 200, or 503 while {@link #drain(boolean)
 * draining}; the traffic port has no such route</li>
 * <li>{@code /api/v1/status} — {@code {"data":{"instanceId":"b<i>"}}}, honouring delay / fail status / reset</li>
 * <li>{@code /api/v1/echo} — reads the body, answers its SHA-256 and length (optionally resets mid-body), with
 * the fail status if one is set</li>
 * <li>{@code GET /api/v1/download?mib=N} — N MiB of {@link DeterministicBytes}, streamed with back-pressure</li>
 * <li>{@code /api/v1/headers} — the request headers as JSON; the response carries hop-by-hop headers</li>
 * <li>{@code /api/v1/never} — never answers</li>
 * <li>{@code /api/v1/anonymous} — does not echo {@code X-Request-ID}; sets two cookies</li>
 * <li>{@code /api/v1/resources/…} — {@code {"data":{"path":…}}} for any path below it (ids, deeper paths)</li>
 * </ul>
 * Every response carries {@code X-Served-By: b<i>}.
 */
public final class TestBackend {

    private final Vertx vertx;
    private final int index;
    private final int port;
    private final int managementPort;
    private volatile HttpServer server;
    private volatile HttpServer management;
    private final Set<HttpConnection> connections = ConcurrentHashMap.newKeySet();
    /** Connections that carried an API request, those that carried an echo, and those with one in progress. */
    private final Set<HttpConnection> used = ConcurrentHashMap.newKeySet();
    private final Set<HttpConnection> echoed = ConcurrentHashMap.newKeySet();
    private final Set<HttpConnection> busy = ConcurrentHashMap.newKeySet();

    private volatile long delayMillis;
    private volatile int apiStatus;
    private volatile boolean resetApi;
    private volatile boolean draining;
    private volatile long echoResetAfterBytes = -1;
    private volatile boolean lastEchoOnReusedConnection;
    private final AtomicInteger apiRequests = new AtomicInteger();
    private final AtomicInteger echoRequests = new AtomicInteger();
    private final AtomicInteger neverRequests = new AtomicInteger();
    private final Map<String, MultiMap> headersByRequestId = new ConcurrentHashMap<>();

    TestBackend(Vertx vertx, int index, int port, int managementPort) {
        this.vertx = vertx;
        this.index = index;
        this.port = port;
        this.managementPort = managementPort;
    }

    public String name() {
        return "b" + index;
    }

    public int port() {
        return port;
    }

    /** Where its health checks go ({@code ;health-port=} in the balancer's backend list). */
    public int managementPort() {
        return managementPort;
    }

    /** The balancer's id for this backend ({@code host:port}), as in /lb/status and metric tags. */
    public String id() {
        return "127.0.0.1:" + port;
    }

    public boolean running() {
        return server != null;
    }

    // --- behaviour switches

    public TestBackend delay(long millis) {
        this.delayMillis = millis;
        return this;
    }

    /** API routes answer this status (0 = normal); the readiness check is unaffected. */
    public TestBackend failApiWith(int status) {
        this.apiStatus = status;
        return this;
    }

    /** API calls are answered by closing the connection without a response. */
    public TestBackend resetApiCalls(boolean reset) {
        this.resetApi = reset;
        return this;
    }

    /** The readiness check answers 503, as a replica does while shutting down. */
    public TestBackend drain(boolean draining) {
        this.draining = draining;
        return this;
    }

    /** {@code /api/v1/echo} closes the connection once this many body bytes arrived (-1 = never). */
    public TestBackend resetEchoAfter(long bytes) {
        this.echoResetAfterBytes = bytes;
        return this;
    }

    /** Whether the last {@code /api/v1/echo} request came over a connection that had carried an API request before. */
    public boolean lastEchoOnReusedConnection() {
        return lastEchoOnReusedConnection;
    }

    /**
     * Resets every idle connection that carried an echo request — an RST (SO_LINGER 0), with no
     * {@code Connection: close} announced before — and returns once the balancer's kernel has taken each reset:
     * those kept-alive connections in the balancer's pool are dead from then on, whether or not it has noticed yet,
     * and a write to one fails.
     */
    public void resetIdleEchoConnections() {
        List<Future<Void>> closed = new ArrayList<>();
        List<Integer> peerPorts = new ArrayList<>();
        for (HttpConnection connection : echoed) {
            if (!busy.contains(connection)) {
                peerPorts.add(connection.remoteAddress().port());
                // Vert.x has no per-connection socket options: the linger is set on the Netty channel itself.
                ((ConnectionBase) connection).channel().config().setOption(ChannelOption.SO_LINGER, 0);
                closed.add(connection.close());
            }
        }
        await(Future.join(closed).toCompletionStage().toCompletableFuture());
        // The RST goes through the kernel's loopback queue, later under load: until the balancer's side has taken it,
        // a write there would still succeed. A reset socket leaves the kernel's table (Linux: /proc/net/tcp*).
        Awaitility.await("the balancer's side took the reset").atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1)).until(() -> peerPorts.stream().noneMatch(this::peerSocketListed));
    }

    private boolean peerSocketListed(int peerPort) {
        String local = String.format(":%04X", peerPort);
        String remote = String.format(":%04X", port);
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

    public int apiRequests() {
        return apiRequests.get();
    }

    public int echoRequests() {
        return echoRequests.get();
    }

    /** Requests to {@code /api/v1/never}, which is never answered. */
    public int neverRequests() {
        return neverRequests.get();
    }

    /** Headers of the last request this backend received with the given X-Request-ID. */
    public MultiMap headersOf(String requestId) {
        return headersByRequestId.get(requestId);
    }

    /** Back to normal: running, fast, ready, answering 200. */
    public void reset() {
        delayMillis = 0;
        apiStatus = 0;
        resetApi = false;
        draining = false;
        echoResetAfterBytes = -1;
        lastEchoOnReusedConnection = false;
        echoed.clear(); // earlier tests' connections stay open, but are no longer this backend's to reset
        apiRequests.set(0);
        echoRequests.set(0);
        headersByRequestId.clear();
        if (!running()) {
            start();
        }
    }

    // --- lifecycle

    public synchronized void start() {
        if (server != null) {
            return;
        }
        HttpServer fresh = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port)
                .setReuseAddress(true).setIdleTimeout(0));
        fresh.connectionHandler(connection -> {
            connections.add(connection);
            connection.closeHandler(v -> {
                connections.remove(connection);
                used.remove(connection);
                echoed.remove(connection);
                busy.remove(connection);
            });
        });
        fresh.requestHandler(this::handle);
        await(fresh.listen().toCompletionStage().toCompletableFuture());
        server = fresh;
        HttpServer freshManagement = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1")
                .setPort(managementPort).setReuseAddress(true));
        freshManagement.requestHandler(this::handleManagement);
        await(freshManagement.listen().toCompletionStage().toCompletableFuture());
        management = freshManagement;
    }

    /** Stops listening and closes every open connection, like a crashed replica. */
    public synchronized void kill() {
        HttpServer current = server;
        if (current == null) {
            return;
        }
        server = null;
        connections.forEach(HttpConnection::close);
        await(current.close().toCompletionStage().toCompletableFuture());
        await(management.close().toCompletionStage().toCompletableFuture());
        management = null;
    }

    public void restart() {
        kill();
        start();
    }

    private static void await(java.util.concurrent.CompletableFuture<?> future) {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // --- routes

    private void handleManagement(HttpServerRequest request) {
        if (request.path().equals("/q/health/ready")) {
            request.response().setStatusCode(draining ? 503 : 200).putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("status", draining ? "DOWN" : "UP").encode());
        } else {
            request.response().setStatusCode(404).end();
        }
    }

    private void handle(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        response.putHeader("X-Served-By", name());
        String requestId = request.getHeader("X-Request-ID");
        String path = request.path();
        if (requestId != null && !path.equals("/api/v1/anonymous")) {
            response.putHeader("X-Request-ID", requestId); // as the api-service echoes it
            headersByRequestId.put(requestId, MultiMap.caseInsensitiveMultiMap().addAll(request.headers()));
        }
        HttpConnection connection = request.connection();
        boolean reused = !used.add(connection);
        busy.add(connection);
        response.endHandler(v -> busy.remove(connection));
        if (path.equals("/api/v1/never")) {
            neverRequests.incrementAndGet();
            request.pause(); // and never answer
            return;
        }
        if (path.equals("/api/v1/echo")) {
            lastEchoOnReusedConnection = reused;
            echoed.add(connection);
            echo(request);
            return;
        }
        apiRequests.incrementAndGet();
        if (resetApi) {
            request.connection().close();
            return;
        }
        long delay = delayMillis;
        if (delay > 0) {
            vertx.setTimer(delay, id -> api(request));
        } else {
            api(request);
        }
    }

    private void api(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        int status = apiStatus;
        if (status != 0) {
            response.setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("error", new JsonObject().put("code", "FAILING")
                            .put("message", name() + " fails on purpose")).encode());
            return;
        }
        switch (request.path()) {
            case "/api/v1/status" -> response.putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("data", new JsonObject().put("instanceId", name())).encode());
            case "/api/v1/headers" -> {
                JsonObject headers = new JsonObject();
                for (String name : request.headers().names()) {
                    headers.put(name.toLowerCase(), new JsonArray(request.headers().getAll(name)));
                }
                // Hop-by-hop headers the balancer must not pass back to the client.
                response.putHeader("Connection", "keep-alive, X-Backend-Hop")
                        .putHeader("X-Backend-Hop", "secret")
                        .putHeader("Keep-Alive", "timeout=30")
                        .putHeader("Content-Type", "application/json")
                        .end(new JsonObject().put("data", headers).encode());
            }
            case "/api/v1/download" -> download(request);
            case "/api/v1/anonymous" -> response.putHeader("Set-Cookie", (Iterable<String>) java.util.List.of("a=1", "b=2"))
                    .end("no request id here");
            default -> {
                if (request.path().startsWith("/api/v1/resources/")) {
                    response.putHeader("Content-Type", "application/json")
                            .end(new JsonObject().put("data", new JsonObject().put("path", request.path())).encode());
                } else {
                    response.setStatusCode(404).end();
                }
            }
        }
    }

    private void echo(HttpServerRequest request) {
        echoRequests.incrementAndGet();
        MessageDigest digest = sha256();
        long[] received = {0};
        long resetAfter = echoResetAfterBytes;
        request.handler(chunk -> {
            digest.update(chunk.getBytes());
            received[0] += chunk.length();
            if (resetAfter >= 0 && received[0] >= resetAfter) {
                request.connection().close();
            }
        });
        request.endHandler(v -> {
            int status = apiStatus;
            request.response().setStatusCode(status == 0 ? 200 : status)
                    .putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("sha256", DeterministicBytes.hex(digest.digest()))
                            .put("bytes", received[0]).encode());
        });
    }

    private void download(HttpServerRequest request) {
        long total = Long.parseLong(request.getParam("mib", "1")) * 1024 * 1024;
        HttpServerResponse response = request.response();
        response.putHeader("Content-Type", "application/octet-stream")
                .putHeader("Content-Length", Long.toString(total));
        DeterministicBytes source = new DeterministicBytes(total);
        Runnable[] pump = new Runnable[1];
        pump[0] = () -> {
            while (!response.writeQueueFull()) {
                byte[] chunk = source.next(64 * 1024);
                if (chunk == null) {
                    response.end();
                    return;
                }
                response.write(Buffer.buffer(chunk));
            }
            response.drainHandler(v -> pump[0].run());
        };
        pump[0].run();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
