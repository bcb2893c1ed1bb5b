package dev.scalableapi.common.forwarding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests made on an event loop are written on connections of that same loop, even when an idle connection of
 * another loop is waiting in a pool (a shared Vert.x client would hand that one out, and the exchange would hop).
 */
class LoopLocalHttpClientTest {

    private Vertx vertx;
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        server = await(vertx.createHttpServer().requestHandler(request -> request.response().end("ok"))
                .listen(0, "127.0.0.1"));
    }

    @AfterEach
    void stop() throws Exception {
        await(vertx.close());
    }

    @Test
    void eachLoopsRequestsUseConnectionsOfThatLoop() throws Exception {
        LoopLocalHttpClient clients = new LoopLocalHttpClient(vertx, new HttpClientOptions().setKeepAlive(true));
        ContextInternal first = ((VertxInternal) vertx).createEventLoopContext();
        ContextInternal second = ((VertxInternal) vertx).createEventLoopContext();
        assertNotEquals(first.nettyEventLoop(), second.nettyEventLoop(), "Vert.x hands out its loops in turn");

        for (int round = 0; round < 3; round++) {
            for (ContextInternal context : new ContextInternal[] {first, second}) {
                assertSame(context.nettyEventLoop(), loopOfConnectionUsedFrom(clients, context));
            }
        }
    }

    @Test
    void thePoolSizeGivenIsSharedAcrossTheLoops() throws Exception {
        LoopLocalHttpClient clients = new LoopLocalHttpClient(vertx,
                new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(3));
        Context context = vertx.getOrCreateContext();
        Promise<Integer> opened = Promise.promise();
        context.runOnContext(v -> {
            var client = clients.current();
            // five requests at once on one loop: its client may open ceil(3 / 2) = 2 connections
            var requests = java.util.stream.IntStream.range(0, 5)
                    .mapToObj(i -> client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/")
                            .compose(request -> request.send().compose(response -> response.body())
                                    .map(body -> request.connection())))
                    .toList();
            Future.all(requests).onComplete(all -> opened.complete(
                    (int) requests.stream().map(Future::result).distinct().count()));
        });
        assertEquals(2, await(opened.future()));
    }

    private EventLoop loopOfConnectionUsedFrom(LoopLocalHttpClient clients, ContextInternal context) throws Exception {
        Promise<EventLoop> loop = Promise.promise();
        context.runOnContext(v -> clients.current()
                .request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/")
                .compose(request -> request.send().compose(response -> response.body())
                        .map(body -> ((ConnectionBase) request.connection()).channel().eventLoop()))
                .onComplete(loop));
        return await(loop.future());
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
