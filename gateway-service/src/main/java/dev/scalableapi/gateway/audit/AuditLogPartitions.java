package dev.scalableapi.gateway.audit;

import dev.scalableapi.gateway.storage.DailyPartitions;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * Retention of the audit log: keeps {@code audit_log} partitioned by UTC day ({@link DailyPartitions}: today and
 * the next {@code partitions-ahead} days created, days older than {@code retention} — 90 days by default —
 * dropped). Runs at startup and every {@code maintenance-interval}; replicas serialise on a transaction-scoped
 * advisory lock of its own, so the job is idempotent however many run.
 */
@ApplicationScoped
public class AuditLogPartitions {

    /** Advisory lock key shared by all gateway replicas ("auditlog" in ASCII). */
    static final long LOCK_KEY = 0x61756469746c6f67L;
    static final String TABLE = "audit_log";

    private static final Logger LOG = Logger.getLogger(AuditLogPartitions.class);

    private final Pool pool;
    private final AuditConfig config;
    private final Clock clock = Clock.systemUTC();
    private final DailyPartitions partitions = new DailyPartitions(TABLE);

    AuditLogPartitions(Pool pool, AuditConfig config) {
        this.pool = pool;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        scheduled().subscribe().with(ignored -> {
        });
    }

    @Scheduled(identity = "audit-log-partitions", every = "${gateway.audit.maintenance-interval}",
            delayed = "${gateway.audit.maintenance-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return maintain()
                .invoke(m -> {
                    if (!m.created().isEmpty() || !m.dropped().isEmpty()) {
                        LOG.infof("Audit log partitions: created %s (rows moved from default: %s), dropped %s",
                                m.created(), m.moved(), m.dropped());
                    }
                })
                .onFailure().invoke(e -> LOG.warnf("Audit log partition maintenance failed, will retry: %s",
                        e.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** One maintenance run, in one transaction under the advisory lock. */
    public Uni<DailyPartitions.Maintenance> maintain() {
        long lockTimeoutMs = Math.max(1, config.maintenanceLockTimeout().toMillis());
        return pool.withTransaction(conn -> conn.query("set local lock_timeout = " + lockTimeoutMs).execute()
                .chain(() -> conn.query("select pg_advisory_xact_lock(" + LOCK_KEY + ")").execute())
                .chain(() -> partitions.maintain(conn, clock.instant(), config.retention(),
                        config.partitionsAhead())));
    }
}
