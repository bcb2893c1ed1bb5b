package dev.scalableapi.gateway.requestlog;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Moves queued entries into PostgreSQL in batches, on one Vert.x event-loop context with the reactive client
 * (no blocking I/O). A flush runs every {@code flush-interval}, or at once when a full batch is waiting; only one
 * batch is in flight at a time. Each batch is one transaction of three multi-row statements (see
 * {@link RequestLogBatch}): its rows, plus the per-key hourly usage and last use it adds, so a retried batch never
 * counts usage twice.
 *
 * <p>A failed batch is kept and retried on the next tick, up to {@code write-attempts} attempts, then dropped and
 * counted ({@code reason=write_failed}). While it waits, new entries pile up only in the bounded queue. A write
 * that times out is retried too, so in that rare case a batch can be written twice (at least once, not exactly).
 * Rows PostgreSQL refuses are not retried but left out at once (see {@link #write}). On shutdown what is queued is
 * written, for at most {@code shutdown-timeout}.
 */
@ApplicationScoped
public class RequestLogWriter {

    private static final Logger LOG = Logger.getLogger(RequestLogWriter.class);

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
    private List<RequestLogEntry> retrying;
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
        List<RequestLogEntry> batch = retrying != null ? retrying : queue.drain(config.batchSize());
        if (batch.isEmpty()) {
            release(done);
            return;
        }
        write(batch).subscribe().with(
                ok -> {
                    succeeded();
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

    private void succeeded() {
        retrying = null;
        attempts = 0;
    }

    private void failed(List<RequestLogEntry> batch, Throwable failure) {
        attempts = retrying == batch ? attempts + 1 : 1;
        if (attempts >= Math.max(1, config.writeAttempts())) {
            LOG.warnf("Dropping %d request log entries after %d failed attempts: %s", batch.size(), attempts,
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
     * Writes one batch and the usage of its entries in one transaction (see {@link RequestLogBatch}), and counts the
     * rows written. When PostgreSQL refuses some row's values, the batch is written again at once in a new
     * transaction without the rows it refuses, which are dropped and counted ({@code reason=invalid_row}): one bad
     * request never costs the others their rows nor their usage. Completes on the reactive client; never blocks.
     */
    public Uni<Void> write(List<? extends RequestLogEntry> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        RequestLogBatch batch = RequestLogBatch.of(entries);
        long startedAt = System.nanoTime();
        return transaction(batch::write)
                .onFailure(RequestLogBatch::refusedData).recoverWithUni(refused -> {
                    LOG.debugf("Request log batch of %d refused (%s), writing it without the rows PostgreSQL refuses",
                            entries.size(), refused.toString());
                    return transaction(batch::writeSkippingRefusedRows);
                })
                .invoke(refused -> {
                    metrics.written(batch.rows() - refused);
                    if (refused > 0) {
                        LOG.warnf("Dropped %d request log rows PostgreSQL refused; the other %d were written", refused,
                                batch.rows() - refused);
                        metrics.droppedInvalidRows(refused);
                    }
                })
                .onTermination().invoke(() -> metrics.batch().record(System.nanoTime() - startedAt,
                        TimeUnit.NANOSECONDS))
                .replaceWithVoid();
    }

    /**
     * One transaction, begun and ended here rather than by Vert.x's {@code withTransaction}: Vert.x rolls its
     * transactions back at the first failed statement, which would leave no savepoint for
     * {@link RequestLogBatch#writeSkippingRefusedRows} to return to. The connection goes back to the pool only once
     * the transaction has ended, even when the timeout gave up on it earlier.
     */
    private Uni<Integer> transaction(Function<SqlConnection, Uni<Integer>> statements) {
        return pool.withConnection(conn -> conn.query("begin").execute()
                        .chain(() -> statements.apply(conn))
                        .call(() -> conn.query("commit").execute())
                        .onFailure().call(() -> conn.query("rollback").execute().onFailure().recoverWithNull()))
                .ifNoItem().after(config.writeTimeout()).fail();
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
        List<RequestLogEntry> batch = List.of();
        try {
            while (!flushing.compareAndSet(false, true)) {
                current.get(remaining(deadline), TimeUnit.NANOSECONDS);
            }
            batch = retrying != null ? retrying : queue.drain(config.batchSize());
            retrying = null;
            while (!batch.isEmpty()) {
                write(batch).await().atMost(Duration.ofNanos(remaining(deadline)));
                batch = queue.drain(config.batchSize());
            }
        } catch (Exception e) {
            int lost = batch.size() + queue.drain(Integer.MAX_VALUE).size();
            if (lost > 0) {
                metrics.droppedWriteFailed(lost);
            }
            LOG.warnf("Request log not fully flushed at shutdown (%d queued entries lost): %s", lost, e.toString());
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
