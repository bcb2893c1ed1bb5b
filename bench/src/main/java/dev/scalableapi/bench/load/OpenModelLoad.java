package dev.scalableapi.bench.load;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A constant-rate (open model) load generator, wrk2-style: request i is due at {@code start + i / rate} and is
 * sent then whatever happened to earlier ones; its latency is measured from that due time. A server that stalls
 * therefore shows the stall in every request that should have been sent meanwhile (no coordinated omission).
 * Requests beyond {@code maxOutstanding} are not sent and are counted as {@code client-overflow} errors.
 */
public final class OpenModelLoad {

    /**
     * {@code failover}: on a connect failure (nothing was sent) try the next target once, as an ingress in front
     * of several gateways does.
     */
    public record Settings(List<Target> targets, Map<String, String> headers, double rate, Duration duration,
            boolean failover, boolean captureBodies, int connectionsPerTarget, int maxOutstanding,
            Duration timeout) {

        public static Settings of(Target target, Map<String, String> headers, double rate, Duration duration) {
            return new Settings(List.of(target), headers, rate, duration, false, false, 256, 20_000,
                    Duration.ofSeconds(10));
        }

        /** The same load over up to {@code connections} connections per target. */
        public Settings withConnections(int connections) {
            return new Settings(targets, headers, rate, duration, failover, captureBodies, connections,
                    maxOutstanding, timeout);
        }

        public Settings with(Duration newDuration) {
            return new Settings(targets, headers, rate, newDuration, failover, captureBodies, connectionsPerTarget,
                    maxOutstanding, timeout);
        }
    }

    private static final long HIGHEST_MICROS = Duration.ofMinutes(10).toNanos() / 1000;

    private final Vertx vertx;
    /** Statuses already shown by {@link #unenveloped}. */
    private final Map<Integer, Boolean> shownUnenveloped = new ConcurrentHashMap<>();

    public OpenModelLoad(Vertx vertx) {
        this.vertx = vertx;
    }

    public LoadResult run(String name, Workload workload, Settings settings, Consumer<Outcome> listener) {
        return run(name, workload, settings, listener, new AtomicBoolean());
    }

    /** As {@link #run(String, Workload, Settings, Consumer)}, ending early once {@code stop} is set. */
    public LoadResult run(String name, Workload workload, Settings settings, Consumer<Outcome> listener,
            AtomicBoolean stop) {
        HttpClient client = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setConnectTimeout(2_000).setMaxInitialLineLength(8192),
                new PoolOptions().setHttp1MaxSize(settings.connectionsPerTarget()).setMaxWaitQueueSize(-1));
        Histogram micros = new ConcurrentHistogram(HIGHEST_MICROS, 3);
        Map<String, Long> byStatus = new ConcurrentHashMap<>();
        Map<String, Long> byCache = new ConcurrentHashMap<>();
        AtomicInteger outstanding = new AtomicInteger();
        AtomicLong nextTarget = new AtomicLong();
        Consumer<Outcome> record = outcome -> {
            micros.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, outcome.latencyNanos() / 1000)));
            byStatus.merge(outcome.label(), 1L, Long::sum);
            if (outcome.cache() != null) {
                byCache.merge(outcome.cache(), 1L, Long::sum);
            }
            listener.accept(outcome);
            outstanding.decrementAndGet();
        };
        double periodNanos = 1e9 / settings.rate();
        long durationNanos = settings.duration().toNanos();
        long start = System.nanoTime() + 5_000_000;
        for (long i = 0; ; i++) {
            long due = start + (long) (i * periodNanos);
            if (due - start >= durationNanos || stop.get()) {
                break;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            Call call = workload.next(i);
            if (outstanding.incrementAndGet() > settings.maxOutstanding()) {
                record.accept(new Outcome(call, 0, "client-overflow", null, null, due, System.nanoTime(),
                        System.nanoTime() - due, null));
                continue;
            }
            int first = (int) (nextTarget.getAndIncrement() % settings.targets().size());
            send(client, settings, call, first, settings.failover() ? settings.targets().size() : 1, due, record);
        }
        long deadline = System.nanoTime() + settings.timeout().toNanos() + 3_000_000_000L;
        while (outstanding.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(10_000_000);
        }
        double seconds = Math.min((System.nanoTime() - start) / 1e9, durationNanos / 1e9);
        client.close();
        // A copy: requests still answering after the deadline keep recording, and iterating the live histogram
        // then threw ConcurrentModificationException (seen in the short drills on a saturated machine).
        return LoadResult.of(name, settings.rate(), seconds, micros.copy(), byStatus, byCache);
    }

    private void send(HttpClient client, Settings settings, Call call, int targetIndex, int attemptsLeft, long due,
            Consumer<Outcome> record) {
        Target target = settings.targets().get(targetIndex % settings.targets().size());
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.valueOf(call.method()))
                .setHost(target.host()).setPort(target.port()).setURI(call.path())
                .setIdleTimeout(settings.timeout().toMillis());
        settings.headers().forEach(options::putHeader);
        if (call.body() != null) {
            options.putHeader("Content-Type", "application/json");
        }
        client.request(options)
                .compose(request -> {
                    // The body handler goes on before the request is sent: this method runs on the pacing thread,
                    // so a response attached to after send() (an early answer, e.g. a shed request) could arrive
                    // first, and Vert.x then drops its body (eclipse-vertx/vert.x#5904): OVERLOADED answers were
                    // counted as bare 503s.
                    Future<Outcome> answered = request.response().compose(response -> response.body()
                            .map(body -> outcome(call, response, body, due, settings)));
                    if (call.body() == null) {
                        request.end();
                    } else {
                        request.end(call.body());
                    }
                    return answered;
                })
                .onComplete(done -> {
                    if (done.succeeded()) {
                        record.accept(done.result());
                        return;
                    }
                    String failure = kind(done.cause());
                    if (failure.equals("connect-error") && attemptsLeft > 1) {
                        send(client, settings, call, targetIndex + 1, attemptsLeft - 1, due, record);
                        return;
                    }
                    long now = System.nanoTime();
                    record.accept(new Outcome(call, 0, failure, null, null, due, now, now - due, null));
                });
    }

    private Outcome outcome(Call call, HttpClientResponse response, Buffer body, long due, Settings settings) {
        long now = System.nanoTime();
        String code = response.statusCode() >= 400 ? errorCode(body.toString()) : null;
        if (response.statusCode() >= 400 && code == null) {
            unenveloped(response.statusCode(), response.headers(), body.toString());
        }
        return new Outcome(call, response.statusCode(), null, response.getHeader("X-Cache"),
                settings.captureBodies() ? body.toString() : null, due, now, now - due, code);
    }

    /**
     * Every error of the stack carries the brief's envelope; the first answer of a status that does not is shown
     * in the bench's log with its headers (who sent it), so a count in the report without a code can be traced.
     */
    private void unenveloped(int status, MultiMap headers, String body) {
        if (shownUnenveloped.putIfAbsent(status, Boolean.TRUE) == null) {
            StringBuilder names = new StringBuilder();
            headers.forEach(header -> names.append(header.getKey()).append(": ").append(header.getValue())
                    .append("; "));
            System.err.printf("%d without an error envelope (headers %s): %.300s%n", status, names, body);
        }
    }

    private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*\"([A-Z_]+)\"");

    static String errorCode(String body) {
        Matcher matcher = CODE.matcher(body);
        return matcher.find() ? matcher.group(1) : null;
    }

    static String kind(Throwable failure) {
        if (failure instanceof ConnectException || failure instanceof io.netty.channel.ConnectTimeoutException) {
            return "connect-error";
        }
        if (failure instanceof TimeoutException || failure instanceof io.netty.handler.timeout.TimeoutException
                || String.valueOf(failure.getMessage()).contains("timeout")) {
            return "timeout";
        }
        if (failure instanceof HttpClosedException) {
            return "closed";
        }
        return "io-error";
    }
}
