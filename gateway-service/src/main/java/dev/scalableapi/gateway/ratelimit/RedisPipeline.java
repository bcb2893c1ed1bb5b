package dev.scalableapi.gateway.ratelimit;

import io.netty.channel.EventLoop;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.PooledRedisConnection;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
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
 * <p>Calls a loop makes while it handles one batch of ready sockets go out in one write at its end (a Redis
 * pipeline, {@link RedisConnection#batch}): one write and one read per batch instead of per decision. Each write
 * was a tenth of the gateway's CPU under load (async-profiler, bench/results/2026-12-07), and Redis reads the
 * batch at once too. Only on a single server: a cluster connection batches keys of one slot only.
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
    private final boolean coalesce;
    private final Map<EventLoop, Slot> slots = new ConcurrentHashMap<>();

    public RedisPipeline(Vertx vertx, RedisOptions options, Duration timeout) {
        this.vertx = vertx;
        this.options = new RedisOptions(options);
        this.coalesce = options.getType() == RedisClientType.STANDALONE;
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
        /** Calls of this loop turn, written together when it ends; all for {@link #connection}. */
        private List<Call> unsent = new ArrayList<>();
        private boolean flushScheduled;

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
            Call call = new Call(request, result, waiting, System.nanoTime());
            waiting.addLast(call);
            if (!coalesce) {
                target.send(request).onComplete(reply -> call.answer(reply));
                return;
            }
            unsent.add(call);
            if (!flushScheduled) {
                flushScheduled = true;
                // A task of the loop runs after the sockets of its current turn have been handled.
                loop.runOnContext(v -> flush());
            }
        }

        /** Sends this turn's calls on the connection they were queued for: a drop empties {@link #unsent}. */
        private void flush() {
            flushScheduled = false;
            List<Call> batch = unsent;
            if (batch.isEmpty()) {
                return; // the connection was dropped since, failing these calls
            }
            unsent = new ArrayList<>();
            RedisConnection target = connection;
            if (batch.size() == 1) {
                Call call = batch.get(0);
                target.send(call.request).onComplete(reply -> call.answer(reply));
                return;
            }
            List<Request> requests = new ArrayList<>(batch.size());
            batch.forEach(call -> requests.add(call.request));
            // A batch fails as a whole when any reply is an error (its message names each one, e.g.
            // "ERR [0] NOSCRIPT ..."): every call then fails with it, as a failed round trip would.
            target.batch(requests).onComplete(replies -> {
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).answer(replies.succeeded() ? Future.succeededFuture(replies.result().get(i))
                            : Future.failedFuture(replies.cause()));
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
            unsent = new ArrayList<>();
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
        final Request request;
        final Promise<Response> result;
        /** The queue of the connection it was written to. */
        final ArrayDeque<Call> queue;
        final long sentNanos;
        boolean done;

        Call(Request request, Promise<Response> result, ArrayDeque<Call> queue, long sentNanos) {
            this.request = request;
            this.result = result;
            this.queue = queue;
            this.sentNanos = sentNanos;
        }

        void answer(AsyncResult<Response> reply) {
            done = true;
            Call head;
            while ((head = queue.peekFirst()) != null && head.done) {
                queue.pollFirst();
            }
            if (reply.succeeded()) {
                result.tryComplete(reply.result());
            } else {
                result.tryFail(reply.cause());
            }
        }
    }
}
