package dev.scalableapi.common.forwarding;

import io.netty.channel.EventLoop;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One keep-alive HTTP client per Vert.x event loop, for forwarding. A Vert.x client pool hands any idle
 * connection to any caller, and a connection's events run on the loop that opened it: with one shared client,
 * most requests hop to another thread to be written, and their answers hop back (JFR of the gateway under the
 * chain load: a third of its samples in those cross-loop tasks). Here a request only meets connections opened on
 * its own loop, so the exchange stays on one thread. The pool size given is the total, split across the loops.
 * Callers off an event loop (timers, workers) share one more client.
 */
public final class LoopLocalHttpClient {

    private final Vertx vertx;
    private final HttpClientOptions perLoop;
    private final Map<EventLoop, HttpClient> clients = new ConcurrentHashMap<>();
    private final HttpClient offLoop;

    public LoopLocalHttpClient(Vertx vertx, HttpClientOptions options) {
        this.vertx = vertx;
        int loops = Math.max(1, loopCount(vertx));
        this.perLoop = new HttpClientOptions(options)
                .setMaxPoolSize(Math.max(1, (options.getMaxPoolSize() + loops - 1) / loops));
        this.offLoop = vertx.createHttpClient(perLoop);
    }

    /** The client whose connections live on the caller's event loop. */
    public HttpClient current() {
        ContextInternal context = ContextInternal.current();
        if (context == null || !context.isEventLoopContext() || !context.inThread()) {
            return offLoop;
        }
        EventLoop loop = context.nettyEventLoop();
        HttpClient client = clients.get(loop);
        return client != null ? client : clients.computeIfAbsent(loop, l -> vertx.createHttpClient(perLoop));
    }

    private static int loopCount(Vertx vertx) {
        int count = 0;
        for (var ignored : ((VertxInternal) vertx).getEventLoopGroup()) {
            count++;
        }
        return count;
    }
}
