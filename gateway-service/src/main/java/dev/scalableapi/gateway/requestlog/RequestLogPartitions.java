package dev.scalableapi.gateway.requestlog;

import dev.scalableapi.gateway.storage.DailyPartitions;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Keeps {@code request_logs} partitioned by UTC day ({@link DailyPartitions}: today and the next
 * {@code partitions-ahead} days created, days older than {@code retention} dropped), and deletes
 * {@code key_usage_hourly} rows older than {@code usage-retention}. Runs at startup and every
 * {@code maintenance-interval}.
 *
 * <p>Replicas serialise on a transaction-scoped advisory lock: the second one waits (at most
 * {@code maintenance-lock-timeout}) and then finds nothing to do, so the job is idempotent however many run.
 */
@ApplicationScoped
public class RequestLogPartitions {

    /** Advisory lock key shared by all gateway replicas ("reqlogs" in ASCII). */
    static final long LOCK_KEY = 0x7265716c6f6773L;
    static final String TABLE = "request_logs";

    private static final Logger LOG = Logger.getLogger(RequestLogPartitions.class);

    private final Pool pool;
    private final RequestLogConfig config;
    private final Clock clock = Clock.systemUTC();
    private final DailyPartitions partitions = new DailyPartitions(TABLE);

    RequestLogPartitions(Pool pool, RequestLogConfig config) {
        this.pool = pool;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        scheduled().subscribe().with(ignored -> {
        });
    }

    @Scheduled(identity = "request-log-partitions", every = "${gateway.requestlog.maintenance-interval}",
            delayed = "${gateway.requestlog.maintenance-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return maintain()
                .invoke(m -> {
                    if (!m.created().isEmpty() || !m.dropped().isEmpty()) {
                        LOG.infof("Request log partitions: created %s (rows moved from default: %s), dropped %s",
                                m.created(), m.moved(), m.dropped());
                    }
                })
                .onFailure().invoke(e -> LOG.warnf("Request log partition maintenance failed, will retry: %s",
                        e.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** One maintenance run, in one transaction under the advisory lock. */
    public Uni<DailyPartitions.Maintenance> maintain() {
        Instant now = clock.instant();
        Instant usageCutoff = now.minus(config.usageRetention());
        long lockTimeoutMs = Math.max(1, config.maintenanceLockTimeout().toMillis());
        return pool.withTransaction(conn -> conn.query("set local lock_timeout = " + lockTimeoutMs).execute()
                .chain(() -> conn.query("select pg_advisory_xact_lock(" + LOCK_KEY + ")").execute())
                .chain(() -> partitions.maintain(conn, now, config.retention(), config.partitionsAhead()))
                .call(() -> conn.preparedQuery("delete from key_usage_hourly where hour < $1")
                        .execute(Tuple.of(OffsetDateTime.ofInstant(usageCutoff, ZoneOffset.UTC)))));
    }
}
