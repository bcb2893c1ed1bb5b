package dev.scalableapi.gateway.requestlog;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Moves queued records into PostgreSQL in batches, on one Vert.x event-loop context with the reactive client
 * (no blocking I/O). A flush runs every {@code flush-interval}, or at once when a full batch is waiting; only one
 * batch is in flight at a time. Each batch is one transaction: the rows ({@code executeBatch}) plus the per-key
 * hourly usage it adds to {@code key_usage_hourly}, so a retried batch never counts usage twice.
 *
 * <p>A failed batch is kept and retried on the next tick, up to {@code write-attempts} attempts, then dropped and
 * counted ({@code reason=write_failed}). While it waits, new records pile up only in the bounded queue. A write
 * that times out is retried too, so in that rare case a batch can be written twice (at least once, not exactly).
 * On shutdown what is queued is written, for at most {@code shutdown-timeout}.
 */
@ApplicationScoped
public class RequestLogWriter {

    private static final Logger LOG = Logger.getLogger(RequestLogWriter.class);

    static final String INSERT_LOG = "insert into request_logs (occurred_at, request_id, method, route, path, status,"
            + " latency_ms, key_id, user_id, client_ip, instance, cache_status, error_code)"
            + " values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";

    static final String UPSERT_USAGE = "insert into key_usage_hourly (key_id, hour, requests, rate_limited, errors)"
            + " values ($1, $2, $3, $4, $5) on conflict (key_id, hour) do update set"
            + " requests = key_usage_hourly.requests + excluded.requests,"
            + " rate_limited = key_usage_hourly.rate_limited + excluded.rate_limited,"
            + " errors = key_usage_hourly.errors + excluded.errors";
    static final String TOUCH_KEY = "update api_keys set last_used_at = greatest(last_used_at, $2) where id = $1";

    private final Vertx vertx;
    private final Pool pool;
    private final RequestLogQueue queue;
    private final RequestLogConfig config;
    private final RequestLogMetrics metrics;

    /** Held by whoever is writing a batch (the flusher or, at the end, shutdown): one batch in flight. */
    private final AtomicBoolean flushing = new AtomicBoolean();
    private final AtomicBoolean wakeScheduled = new AtomicBoolean();
    private volatile CompletableFuture<Void> current = CompletableFuture.completedFuture(null);
    private volatile boolean stopped;
    private volatile Context context;
    private volatile long timerId = -1;

    /** The batch that failed and waits for its next attempt; touched only while holding {@link #flushing}. */
    private List<RequestLogRecord> retrying;
    private int attempts;

    RequestLogWriter(Vertx vertx, Pool pool, RequestLogQueue queue, RequestLogConfig config,
            RequestLogMetrics metrics) {
        this.vertx = vertx;
        this.pool = pool;
        this.queue = queue;
        this.config = config;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        Context ctx = vertx.getOrCreateContext();
        context = ctx;
        queue.onBatchReady(this::wake);
        long interval = Math.max(1, config.flushInterval().toMillis());
        ctx.runOnContext(v -> {
            if (!stopped) {
                timerId = vertx.setPeriodic(interval, id -> flush());
            }
        });
    }

    /** Called from request threads when a full batch is waiting: schedules one flush, cheaply. */
    private void wake() {
        Context ctx = context;
        if (ctx != null && !stopped && wakeScheduled.compareAndSet(false, true)) {
            ctx.runOnContext(v -> {
                wakeScheduled.set(false);
                flush();
            });
        }
    }

    /** Writes the retried batch or the next batch from the queue, unless a batch is already in flight. */
    void flush() {
        if (stopped || !flushing.compareAndSet(false, true)) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        current = done;
        List<RequestLogRecord> batch = retrying != null ? retrying : queue.drain(config.batchSize());
        if (batch.isEmpty()) {
            release(done);
            return;
        }
        write(batch).subscribe().with(
                ok -> {
                    succeeded(batch);
                    release(done);
                    if (retrying == null && queue.size() >= config.batchSize()) {
                        wake();
                    }
                },
                failure -> {
                    failed(batch, failure);
                    release(done);
                });
    }

    private void release(CompletableFuture<Void> done) {
        flushing.set(false);
        done.complete(null);
    }

    private void succeeded(List<RequestLogRecord> batch) {
        metrics.written(batch.size());
        retrying = null;
        attempts = 0;
    }

    private void failed(List<RequestLogRecord> batch, Throwable failure) {
        attempts = retrying == batch ? attempts + 1 : 1;
        if (attempts >= Math.max(1, config.writeAttempts())) {
            LOG.warnf("Dropping %d request log records after %d failed attempts: %s", batch.size(), attempts,
                    failure.toString());
            metrics.droppedWriteFailed(batch.size());
            retrying = null;
            attempts = 0;
        } else {
            LOG.debugf("Request log batch of %d failed (attempt %d), retrying: %s", batch.size(), attempts,
                    failure.toString());
            retrying = batch;
        }
    }

    /**
     * Writes one batch and its usage counters in one transaction (rows first, then the upsert in key order, so
     * replicas take the usage row locks in the same order). Completes on the reactive client; never blocks.
     */
    public Uni<Void> write(List<RequestLogRecord> batch) {
        if (batch.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>(batch.size());
        for (RequestLogRecord r : batch) {
            rows.add(row(r));
        }
        List<Tuple> usage = usage(batch);
        List<Tuple> lastUsed = lastUsed(batch);
        long startedAt = System.nanoTime();
        return pool.withTransaction(conn -> insert(conn, rows, usage, lastUsed))
                .ifNoItem().after(config.writeTimeout()).fail()
                .onTermination().invoke(() -> metrics.batch().record(System.nanoTime() - startedAt,
                        TimeUnit.NANOSECONDS));
    }

    private static Uni<Void> insert(SqlConnection conn, List<Tuple> rows, List<Tuple> usage, List<Tuple> lastUsed) {
        Uni<Void> logs = conn.preparedQuery(INSERT_LOG).executeBatch(rows).replaceWithVoid();
        return usage.isEmpty() ? logs
                : logs.chain(() -> conn.preparedQuery(UPSERT_USAGE).executeBatch(usage).replaceWithVoid())
                        .chain(() -> conn.preparedQuery(TOUCH_KEY).executeBatch(lastUsed).replaceWithVoid());
    }

    /** Each key's latest request in this batch, in key order (the same lock order on every replica). */
    static List<Tuple> lastUsed(List<RequestLogRecord> batch) {
        Map<Long, Instant> latest = new TreeMap<>();
        for (RequestLogRecord r : batch) {
            if (r.keyId() != null) {
                latest.merge(r.keyId(), r.occurredAt(), (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        List<Tuple> tuples = new ArrayList<>(latest.size());
        latest.forEach((key, at) -> tuples.add(Tuple.of(key, OffsetDateTime.ofInstant(at, ZoneOffset.UTC))));
        return tuples;
    }

    private static Tuple row(RequestLogRecord r) {
        return Tuple.tuple().addValue(OffsetDateTime.ofInstant(r.occurredAt(), ZoneOffset.UTC))
                .addValue(r.requestId())
                .addValue(r.method())
                .addValue(r.route())
                .addValue(r.path())
                .addValue((short) r.status())
                .addValue(r.latencyMs())
                .addValue(r.keyId())
                .addValue(r.userId())
                .addValue(r.clientIp())
                .addValue(r.instance())
                .addValue(r.cacheStatus())
                .addValue(r.errorCode());
    }

    private record UsageKey(long keyId, Instant hour) {
    }

    /** Requests, 429s and 5xx per key and hour (UTC) in this batch, ordered by key then hour. */
    static List<Tuple> usage(List<RequestLogRecord> batch) {
        Map<UsageKey, long[]> counts = new TreeMap<>(
                Comparator.comparingLong(UsageKey::keyId).thenComparing(UsageKey::hour));
        for (RequestLogRecord r : batch) {
            if (r.keyId() == null) {
                continue;
            }
            long[] c = counts.computeIfAbsent(
                    new UsageKey(r.keyId(), r.occurredAt().truncatedTo(ChronoUnit.HOURS)), k -> new long[3]);
            c[0]++;
            if (r.status() == 429) {
                c[1]++;
            }
            if (r.status() >= 500) {
                c[2]++;
            }
        }
        List<Tuple> tuples = new ArrayList<>(counts.size());
        counts.forEach((k, c) -> tuples.add(Tuple.of(k.keyId(), OffsetDateTime.ofInstant(k.hour(), ZoneOffset.UTC),
                c[0], c[1], c[2])));
        return tuples;
    }

    /** Stops the flusher and writes what is still queued, for at most {@code shutdown-timeout}. */
    void stop(@Observes ShutdownEvent event) {
        if (!config.enabled()) {
            return;
        }
        stopped = true;
        long timer = timerId;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        List<RequestLogRecord> batch = List.of();
        try {
            while (!flushing.compareAndSet(false, true)) {
                current.get(remaining(deadline), TimeUnit.NANOSECONDS);
            }
            batch = retrying != null ? retrying : queue.drain(config.batchSize());
            retrying = null;
            while (!batch.isEmpty()) {
                write(batch).await().atMost(Duration.ofNanos(remaining(deadline)));
                metrics.written(batch.size());
                batch = queue.drain(config.batchSize());
            }
        } catch (Exception e) {
            int lost = batch.size() + queue.drain(Integer.MAX_VALUE).size();
            if (lost > 0) {
                metrics.droppedWriteFailed(lost);
            }
            LOG.warnf("Request log not fully flushed at shutdown (%d queued records lost): %s", lost, e.toString());
        }
    }

    private static long remaining(long deadline) throws java.util.concurrent.TimeoutException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new java.util.concurrent.TimeoutException("shutdown-timeout reached");
        }
        return left;
    }
}
