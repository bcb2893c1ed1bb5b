package dev.scalableapi.bench.drills;

import dev.scalableapi.bench.stack.Launcher;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An HTTP proxy in front of one api replica that the drills turn bad on demand: {@link #slow(Duration)} delays
 * every request (health checks too), {@link #failing()} answers every request 503 without forwarding it (so
 * nothing is written), {@link #healthy()} forwards untouched. It stands in front of both of the replica's ports: the
 * traffic port, and the management port where the balancer's health checks go
 * ({@link Launcher#managementPort(int)} of each).
 */
public final class FaultProxy implements AutoCloseable {

    private record Mode(Duration delay, boolean failing) {
    }

    private static final Mode HEALTHY = new Mode(Duration.ZERO, false);
    private static final String INJECTED_503 = "{\"error\":{\"message\":\"Injected failure\",\"code\":"
            + "\"SERVICE_UNAVAILABLE\"},\"meta\":{\"requestId\":\"fault-proxy\",\"timestamp\":\"1970-01-01T00:00:00Z\"}}";

    private final Vertx vertx;
    private final HttpClient client;
    private final HttpServer server;
    private final HttpServer management;
    private final AtomicReference<Mode> mode = new AtomicReference<>(HEALTHY);

    public FaultProxy(Vertx vertx, int port, int targetPort) {
        this.vertx = vertx;
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(200));
        this.server = listen(vertx, port, targetPort);
        this.management = listen(vertx, Launcher.managementPort(port), Launcher.managementPort(targetPort));
    }

    private HttpServer listen(Vertx vertx, int port, int targetPort) {
        HttpServer listening = vertx.createHttpServer().requestHandler(request -> handle(request, targetPort));
        try {
            listening.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("fault proxy cannot listen on " + port, e);
        }
        return listening;
    }

    public void healthy() {
        mode.set(HEALTHY);
    }

    public void slow(Duration delay) {
        mode.set(new Mode(delay, false));
    }

    public void failing() {
        mode.set(new Mode(Duration.ZERO, true));
    }

    private void handle(HttpServerRequest request, int targetPort) {
        Mode current = mode.get();
        if (current.failing()) {
            request.response().setStatusCode(503).putHeader("Content-Type", "application/json")
                    .putHeader("Retry-After", "1").end(INJECTED_503);
            return;
        }
        request.body().onSuccess(body -> {
            if (current.delay().isZero()) {
                forward(request, body, targetPort);
            } else {
                vertx.setTimer(current.delay().toMillis(), t -> forward(request, body, targetPort));
            }
        });
    }

    private void forward(HttpServerRequest request, io.vertx.core.buffer.Buffer body, int targetPort) {
        RequestOptions options = new RequestOptions().setMethod(request.method()).setHost("127.0.0.1")
                .setPort(targetPort).setURI(request.uri())
                .setHeaders(io.vertx.core.MultiMap.caseInsensitiveMultiMap().setAll(request.headers())
                        .remove("Transfer-Encoding").remove("Connection").remove("Content-Length"));
        client.request(options)
                .compose(upstream -> upstream.send(body))
                .compose(response -> response.body().map(payload -> {
                    request.response().setStatusCode(response.statusCode()).headers().setAll(response.headers())
                            .remove("Transfer-Encoding").remove("Connection").remove("Content-Length");
                    request.response().end(payload);
                    return payload;
                }))
                .onFailure(failure -> request.connection().close());
    }

    @Override
    public void close() {
        server.close();
        management.close();
        client.close();
    }
}
