package dev.scalableapi.bench.shedding;

import dev.scalableapi.bench.load.Call;
import dev.scalableapi.bench.load.Workload;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop load with the same client and mixes as the fixed-rate runs ({@code OpenModelLoad}): each of
 * {@code connections} loops sends its next request as soon as the previous one is answered. Its answered-OK rate
 * is what the path can serve, measured with the generator's own CPU cost included, as in the fixed-rate runs.
 */
final class ClosedLoopLoad {

    private final Vertx vertx;

    ClosedLoopLoad(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Responses with a 2xx/3xx status per second over {@code length}. */
    double okPerSecond(int port, Map<String, String> headers, Workload workload, int connections,
            Duration length) {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(2_000),
                new PoolOptions().setHttp1MaxSize(connections));
        AtomicLong sequence = new AtomicLong();
        AtomicLong ok = new AtomicLong();
        CountDownLatch loops = new CountDownLatch(connections);
        long started = System.nanoTime();
        long deadline = started + length.toNanos();
        for (int i = 0; i < connections; i++) {
            loop(client, port, headers, workload, sequence, ok, deadline, loops);
        }
        try {
            loops.await(length.toSeconds() + 30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        client.close();
        return ok.get() / seconds;
    }

    private void loop(HttpClient client, int port, Map<String, String> headers, Workload workload,
            AtomicLong sequence, AtomicLong ok, long deadline, CountDownLatch loops) {
        if (System.nanoTime() >= deadline) {
            loops.countDown();
            return;
        }
        Call call = workload.next(sequence.getAndIncrement());
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.valueOf(call.method())).setHost("127.0.0.1")
                .setPort(port).setURI(call.path()).setIdleTimeout(10_000);
        headers.forEach(options::putHeader);
        if (call.body() != null) {
            options.putHeader("Content-Type", "application/json");
        }
        client.request(options)
                .compose(request -> call.body() == null ? request.send() : request.send(call.body()))
                .compose(response -> response.body().map(body -> response.statusCode()))
                .onComplete(done -> {
                    if (done.succeeded() && done.result() < 400) {
                        ok.incrementAndGet();
                    }
                    loop(client, port, headers, workload, sequence, ok, deadline, loops);
                });
    }
}
