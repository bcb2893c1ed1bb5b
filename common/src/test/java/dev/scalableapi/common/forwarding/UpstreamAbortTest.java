package dev.scalableapi.common.forwarding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against a real Vert.x server and a pool of one keep-alive connection: abandoning an exchange whose response was
 * received in full leaves its connection to the next request (a plain reset would close it), and abandoning one
 * still in flight resets it.
 */
class UpstreamAbortTest {

    private Vertx vertx;
    private HttpServer server;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        server = await(vertx.createHttpServer().requestHandler(request -> {
            if (!request.path().equals("/never")) {
                request.response().end("ok");
            }
        }).listen(0, "127.0.0.1"));
        client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(1));
    }

    @AfterEach
    void stop() throws Exception {
        await(vertx.close());
    }

    @Test
    void aCompletedExchangeLeavesItsConnectionToTheNextRequest() throws Exception {
        HttpClientRequest first = await(client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/"));
        assertEquals("ok", await(first.send().compose(response -> response.body())).toString());
        AtomicBoolean closed = new AtomicBoolean();
        first.connection().closeHandler(v -> closed.set(true));

        UpstreamAbort.ifInFlight(first);

        HttpClientRequest second = await(client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/"));
        assertSame(first.connection(), second.connection(), "the pool of one hands out the same connection");
        assertEquals("ok", await(second.send().compose(response -> response.body())).toString());
        assertFalse(closed.get(), "the connection serving the second request was closed");
    }

    @Test
    void anExchangeStillInFlightIsReset() throws Exception {
        HttpClientRequest request = await(client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/never"));
        Future<?> response = request.send();

        UpstreamAbort.ifInFlight(request);

        assertThrows(ExecutionException.class, () -> await(response));
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
