package dev.scalableapi.bench.limiter;

import dev.scalableapi.gateway.ratelimit.RedisPipeline;
import dev.scalableapi.gateway.ratelimit.PolicyWindow;
import dev.scalableapi.gateway.ratelimit.RateLimitPolicies;
import dev.scalableapi.gateway.ratelimit.RateLimitPolicy;
import dev.scalableapi.gateway.ratelimit.RedisRateLimiter;
import dev.scalableapi.gateway.ratelimit.SlidingWindow;
import io.vertx.core.Vertx;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The gateway's Redis limiter alone (the real {@link RedisRateLimiter}, one EVALSHA per decision), with
 * the gateway's pool settings: how many decisions per second it sustains with {@code concurrency} in flight, and
 * how long one decision takes at a fixed rate (measured from the due time, like the HTTP runs).
 */
public final class LimiterBenchmark {

    /** Latencies in ms. */
    public record Result(int concurrency, double decisionsPerSecond, double fixedRate, double p50, double p90,
            double p99, double p999, double max, long failures) {
    }

    private static final int SUBJECTS = 1_000;
    private static final long LIMIT = 1_000_000_000L;
    /** One minute window of 60 sub-buckets, as a tier's default policy. */
    private static final RateLimitPolicies POLICY = RateLimitPolicies.of(
            List.of(new RateLimitPolicy("bench", PolicyWindow.MINUTE, LIMIT)),
            SlidingWindow.of(Duration.ofSeconds(60), 60));

    private LimiterBenchmark() {
    }

    public static Result run(Vertx vertx, int redisPort, int concurrency, Duration throughputTime, double rate,
            Duration latencyTime) {
        RedisPipeline pipeline = new RedisPipeline(vertx, new RedisOptions()
                .setConnectionString("redis://127.0.0.1:" + redisPort).setMaxPoolSize(16).setMaxPoolWaiting(2048),
                Duration.ofSeconds(5));
        RedisRateLimiter limiter = new RedisRateLimiter(pipeline, "bench:" + System.nanoTime() + ":", null);
        AtomicLong failures = new AtomicLong();
        try {
            limiter.acquire("warm-up", "bench", POLICY).toCompletionStage().toCompletableFuture()
                    .get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Redis did not answer the warm-up decision", e);
        }
        double perSecond = closedLoop(limiter, concurrency, throughputTime, failures);
        Histogram micros = fixedRate(limiter, rate, latencyTime, failures);
        pipeline.close();
        return new Result(concurrency, perSecond, rate, ms(micros.getValueAtPercentile(50)),
                ms(micros.getValueAtPercentile(90)), ms(micros.getValueAtPercentile(99)),
                ms(micros.getValueAtPercentile(99.9)), ms(micros.getMaxValue()), failures.get());
    }

    private static double closedLoop(RedisRateLimiter limiter, int concurrency, Duration time,
            AtomicLong failures) {
        AtomicLong done = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong sequence = new AtomicLong();
        long start = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            next(limiter, running, done, sequence, failures);
        }
        LockSupport.parkNanos(time.toNanos());
        running.set(false);
        long elapsed = System.nanoTime() - start;
        return done.get() / (elapsed / 1e9);
    }

    private static void next(RedisRateLimiter limiter, AtomicBoolean running, AtomicLong done,
            AtomicLong sequence, AtomicLong failures) {
        if (!running.get()) {
            return;
        }
        limiter.acquire("s" + sequence.incrementAndGet() % SUBJECTS, "bench", POLICY).onComplete(decided -> {
            if (decided.succeeded()) {
                done.incrementAndGet();
            } else {
                failures.incrementAndGet();
            }
            next(limiter, running, done, sequence, failures);
        });
    }

    private static Histogram fixedRate(RedisRateLimiter limiter, double rate, Duration time,
            AtomicLong failures) {
        Histogram micros = new ConcurrentHistogram(60_000_000L, 3);
        AtomicLong outstanding = new AtomicLong();
        double period = 1e9 / rate;
        long start = System.nanoTime();
        for (long i = 0; (long) (i * period) < time.toNanos(); i++) {
            long due = start + (long) (i * period);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            outstanding.incrementAndGet();
            limiter.acquire("s" + i % SUBJECTS, "bench", POLICY).onComplete(decided -> {
                if (decided.succeeded()) {
                    micros.recordValue(Math.min(60_000_000L, (System.nanoTime() - due) / 1000));
                } else {
                    failures.incrementAndGet();
                }
                outstanding.decrementAndGet();
            });
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (outstanding.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(5_000_000);
        }
        return micros;
    }

    private static double ms(double micros) {
        return Math.round(micros) / 1000.0;
    }
}
