package dev.scalableapi.gateway.ratelimit;

import io.netty.channel.EventLoop;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.PooledRedisConnection;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * The limiter's way to Redis: one long-lived, pipelined connection per event loop, opened by a client of that
 * loop's own. A pooled client takes a connection for each round trip (requests queue for the pool under load),
 * and Vert.x opens all of a client's connections on the loop that built the client, so every call from another
 * loop hops there to be written and back with its reply (JFR of the gateway under load). Here every call writes
 * to its own loop's connection at once, any number may be in flight, and the reply completes the caller's context
 * on the same thread.
 *
 * <p>Replies come in order, so a call that waited longer than {@code timeout} means everything behind it waits
 * too: a sweep per connection fails the waiting calls and drops the connection; the next call reconnects. A
 * call made off an event loop (tests, tools) is sent from a fixed one.
 */
public class RedisPipeline {

    private final Vertx vertx;
    private final RedisOptions options;
    private final long timeoutNanos;
    private final long sweepMillis;
    private final ContextInternal offLoop;
    private final Map<EventLoop, Slot> slots = new ConcurrentHashMap<>();

    public RedisPipeline(Vertx vertx, RedisOptions options, Duration timeout) {
        this.vertx = vertx;
        this.options = new RedisOptions(options);
        this.timeoutNanos = timeout.toNanos();
        this.sweepMillis = Math.max(5, timeout.toMillis() / 4);
        this.offLoop = ((ContextInternal) vertx.getOrCreateContext()).unwrap();
    }

    /** Sends one command; the future completes on the caller's context. */
    public Future<Response> send(Request request) {
        ContextInternal caller = ContextInternal.current();
        if (caller == null || !caller.isEventLoopContext() || !caller.inThread()) {
            Promise<Response> promise = Promise.promise();
            offLoop.runOnContext(v -> slot(offLoop).send(request, offLoop.promise()).onComplete(promise));
            return promise.future();
        }
        return slot(caller).send(request, caller.promise());
    }

    private Slot slot(ContextInternal caller) {
        Slot slot = slots.get(caller.nettyEventLoop());
        return slot != null ? slot : slots.computeIfAbsent(caller.nettyEventLoop(), loop -> new Slot(caller.unwrap()));
    }

    /** Closes every connection (shutdown). */
    public void close() {
        slots.values().forEach(Slot::close);
        slots.clear();
    }

    /** One event loop's connection and the calls waiting on it; touched only from that loop. */
    private final class Slot {

        private final ContextInternal loop;
        private final long sweeper;
        private Redis client;
        private RedisConnection connection;
        private Promise<RedisConnection> opening;
        private long openingSince;
        private ArrayDeque<Call> waiting = new ArrayDeque<>();

        Slot(ContextInternal loop) {
            this.loop = loop;
            this.sweeper = loop.setPeriodic(sweepMillis, id -> sweep());
        }

        Future<Response> send(Request request, Promise<Response> result) {
            if (connection != null) {
                write(connection, request, result);
            } else {
                connect().onComplete(connected -> {
                    if (connected.succeeded()) {
                        write(connected.result(), request, result);
                    } else {
                        result.tryFail(connected.cause());
                    }
                });
            }
            return result.future();
        }

        private void write(RedisConnection target, Request request, Promise<Response> result) {
            Call call = new Call(result, System.nanoTime());
            ArrayDeque<Call> queue = waiting;
            queue.addLast(call);
            target.send(request).onComplete(reply -> {
                call.done = true;
                if (queue.peekFirst() == call) {
                    queue.pollFirst();
                }
                if (reply.succeeded()) {
                    result.tryComplete(reply.result());
                } else {
                    result.tryFail(reply.cause());
                }
            });
        }

        private Future<RedisConnection> connect() {
            if (opening != null) {
                return opening.future();
            }
            Promise<RedisConnection> attempt = loop.promise();
            opening = attempt;
            openingSince = System.nanoTime();
            // On the loop's own context: the client opens its connections on the loop it was built on.
            loop.dispatch(v -> client().connect().onComplete(ar -> {
                if (opening == attempt) {
                    opening = null;
                }
                if (ar.failed()) {
                    attempt.tryFail(ar.cause());
                } else if (connection == null) {
                    adopt(ar.result());
                    attempt.tryComplete(ar.result());
                } else {
                    ar.result().close(); // a late answer to an attempt the sweep gave up on
                }
            }));
            return attempt.future();
        }

        private Redis client() {
            if (client == null) {
                client = Redis.createClient(vertx, options);
            }
            return client;
        }

        private void adopt(RedisConnection opened) {
            opened.exceptionHandler(failure -> drop(opened, failure));
            opened.endHandler(end -> drop(opened, new IllegalStateException("Redis closed the connection")));
            connection = opened;
        }

        private void sweep() {
            long now = System.nanoTime();
            if (opening != null && now - openingSince > timeoutNanos) {
                Promise<RedisConnection> late = opening;
                opening = null;
                late.tryFail(new TimeoutException("Could not connect to Redis in time"));
            }
            Call head;
            while ((head = waiting.peekFirst()) != null && head.done) {
                waiting.pollFirst();
            }
            if (head != null && now - head.sentNanos > timeoutNanos && connection != null) {
                RedisConnection stuck = connection;
                drop(stuck, new TimeoutException("Redis did not answer in time"));
                forceClose(stuck);
            }
        }

        /** Forgets a broken connection and fails what still waits on it. */
        private void drop(RedisConnection broken, Throwable cause) {
            if (connection != broken) {
                return;
            }
            connection = null;
            ArrayDeque<Call> failed = waiting;
            waiting = new ArrayDeque<>();
            for (Call call : failed) {
                call.done = true;
                call.result.tryFail(cause);
            }
        }

        void close() {
            loop.runOnContext(v -> {
                loop.owner().cancelTimer(sweeper);
                if (connection != null) {
                    RedisConnection open = connection;
                    drop(open, new IllegalStateException("Rate limiter shutting down"));
                    open.close();
                }
                if (client != null) {
                    client.close();
                }
            });
        }
    }

    /**
     * A pooled connection's {@code close()} only hands it back to the pool, where a connection to a vanished
     * server would wait for its next user; a stuck one is closed for real.
     */
    private static void forceClose(RedisConnection stuck) {
        if (stuck instanceof PooledRedisConnection pooled) {
            pooled.actual().forceClose();
        }
        stuck.close();
    }

    private static final class Call {
        final Promise<Response> result;
        final long sentNanos;
        boolean done;

        Call(Promise<Response> result, long sentNanos) {
            this.result = result;
            this.sentNanos = sentNanos;
        }
    }
}
