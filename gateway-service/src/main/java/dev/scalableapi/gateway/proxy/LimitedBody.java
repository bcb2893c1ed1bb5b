package dev.scalableapi.gateway.proxy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;

/**
 * The client's request body as the proxy streams it on, counted: once it grows past the limit the stream stops and
 * fails, so a body that declares no length (chunked, or HTTP/2 without content-length) cannot slip past
 * {@code quarkus.http.limits.max-body-size} — Quarkus enforces that only for declared lengths and for bodies it reads
 * itself.
 */
final class LimitedBody implements ReadStream<Buffer> {

    /** The body grew past the limit. */
    static final class TooLarge extends RuntimeException {
        TooLarge(long max) {
            super("request body exceeds " + max + " bytes", null, false, false);
        }
    }

    private final HttpServerRequest in;
    private final long max;
    private long seen;
    private volatile boolean exceeded;
    private Handler<Throwable> exceptionHandler;
    private Handler<Buffer> handler;
    /** Data read ahead (to learn that there is a body at all), delivered before the rest. */
    private Buffer firstChunk;

    LimitedBody(HttpServerRequest in, long max, Buffer firstChunk) {
        this.in = in;
        this.max = max;
        this.firstChunk = firstChunk;
    }

    boolean exceeded() {
        return exceeded;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        this.exceptionHandler = handler;
        in.exceptionHandler(handler);
        return this;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
        this.handler = handler;
        in.handler(handler == null ? null : this::deliver);
        return this;
    }

    private void deliver(Buffer chunk) {
        if (exceeded || handler == null) {
            return;
        }
        seen += chunk.length();
        if (seen > max) {
            exceeded = true;
            in.pause();
            Handler<Throwable> failed = exceptionHandler;
            if (failed != null) {
                failed.handle(new TooLarge(max));
            }
            return;
        }
        handler.handle(chunk);
    }

    private void deliverFirstChunk() {
        Buffer first = firstChunk;
        if (first != null && handler != null) {
            firstChunk = null;
            deliver(first);
        }
    }

    @Override
    public ReadStream<Buffer> pause() {
        in.pause();
        return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
        deliverFirstChunk();
        if (!exceeded) {
            in.resume();
        }
        return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
        deliverFirstChunk();
        if (!exceeded) {
            in.fetch(amount);
        }
        return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
        in.endHandler(endHandler == null ? null : v -> {
            if (!exceeded) {
                endHandler.handle(v);
            }
        });
        return this;
    }
}
