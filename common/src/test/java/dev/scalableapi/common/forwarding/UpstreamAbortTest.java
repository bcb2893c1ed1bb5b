package dev.scalableapi.common.forwarding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
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
        assertEquals("ok", bodyOf(first));
        AtomicBoolean closed = new AtomicBoolean();
        first.connection().closeHandler(v -> closed.set(true));

        onRequestsLoop(() -> UpstreamAbort.ifInFlight(first));

        HttpClientRequest second = await(client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/"));
        assertSame(first.connection(), second.connection(), "the pool of one hands out the same connection");
        assertEquals("ok", bodyOf(second));
        assertFalse(closed.get(), "the connection serving the second request was closed");
    }

    /**
     * A relay pauses the response while its client is slow: the response can then be in full on the wire, its
     * connection back in the pool and serving the next request, while the relay has not read its end yet.
     */
    @Test
    void anExchangeWhoseResponseArrivedUnreadLeavesItsConnectionToTheNextRequest() throws Exception {
        HttpClientRequest first = await(client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/"));
        Promise<HttpClientResponse> paused = Promise.promise();
        vertx.getOrCreateContext().runOnContext(v -> first.send().onSuccess(HttpClientResponse::pause)
                .onComplete(paused));
        HttpClientResponse unread = await(paused.future());
        AtomicBoolean closed = new AtomicBoolean();
        first.connection().closeHandler(v -> closed.set(true));
        HttpClientRequest second = await(client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/"));
        assertSame(first.connection(), second.connection(), "the pool of one hands out the same connection");
        assertFalse(unread.end().isComplete(), "the first response's end is still unread");

        onRequestsLoop(() -> UpstreamAbort.ifInFlight(first));

        assertEquals("ok", bodyOf(second));
        assertFalse(closed.get(), "the connection serving the second request was closed");
    }

    @Test
    void anExchangeStillInFlightIsReset() throws Exception {
        HttpClientRequest request = await(client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/never"));
        Future<?> response = request.send();

        onRequestsLoop(() -> UpstreamAbort.ifInFlight(request));

        assertThrows(ExecutionException.class, () -> await(response));
    }

    /**
     * Sends the request and reads its body from the request's loop: a body handler set later, from the test
     * thread, could miss a body that had already arrived.
     */
    private String bodyOf(HttpClientRequest request) throws Exception {
        Promise<String> body = Promise.promise();
        vertx.getOrCreateContext().runOnContext(v -> request.send().compose(response -> response.body())
                .map(Object::toString).onComplete(body));
        return await(body.future());
    }

    /**
     * Runs where the gateway and the balancer call it: on the loop that handles the exchange's events (the test
     * thread's own context), after the events already queued there, such as the end of the response.
     */
    private void onRequestsLoop(Runnable action) throws Exception {
        Promise<Void> done = Promise.promise();
        vertx.getOrCreateContext().runOnContext(v -> {
            action.run();
            done.complete();
        });
        await(done.future());
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
