package dev.scalableapi.gateway.requestlog;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Keeps {@code request_logs} partitioned by UTC day: creates {@code request_logs_YYYYMMDD} for today and the next
 * {@code partitions-ahead} days, drops daily partitions whose day ended more than {@code retention} ago, deletes
 * stragglers of that age from the default partition, and deletes {@code key_usage_hourly} rows older than
 * {@code usage-retention}. Runs at startup and every {@code maintenance-interval}.
 *
 * <p>Replicas serialise on a transaction-scoped advisory lock: the second one waits (at most
 * {@code maintenance-lock-timeout}) and then finds nothing to do, so the job is idempotent however many run.
 *
 * <p>The default partition: because days are created ahead, it normally stays empty. If rows for a day landed
 * there anyway (the job could not run for days), creating that day's partition would fail, so the rows are moved:
 * the default partition is locked against inserts, the day's table is created stand-alone, the rows are copied
 * into it and deleted from the default, and the table is attached — all in the one transaction.
 */
@ApplicationScoped
public class RequestLogPartitions {

    /** Advisory lock key shared by all gateway replicas ("reqlogs" in ASCII). */
    static final long LOCK_KEY = 0x7265716c6f6773L;
    static final String PREFIX = "request_logs_";

    private static final Logger LOG = Logger.getLogger(RequestLogPartitions.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
    private static final Pattern DAILY = Pattern.compile(PREFIX + "\\d{8}");

    /** What one run changed. */
    public record Maintenance(List<String> created, List<String> moved, List<String> dropped) {
    }

    private final Pool pool;
    private final RequestLogConfig config;
    private final Clock clock = Clock.systemUTC();

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
    public Uni<Maintenance> maintain() {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Instant cutoff = now.minus(config.retention());
        Instant usageCutoff = now.minus(config.usageRetention());
        Maintenance result = new Maintenance(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        long lockTimeoutMs = Math.max(1, config.maintenanceLockTimeout().toMillis());
        return pool.withTransaction(conn -> conn.query("set local lock_timeout = " + lockTimeoutMs).execute()
                .chain(() -> conn.query("select pg_advisory_xact_lock(" + LOCK_KEY + ")").execute())
                .chain(() -> createDays(conn, today, 0, result))
                .chain(() -> dropOld(conn, cutoff, result))
                .chain(() -> conn.preparedQuery("delete from request_logs_default where occurred_at < $1")
                        .execute(Tuple.of(utc(cutoff))))
                .chain(() -> conn.preparedQuery("delete from key_usage_hourly where hour < $1")
                        .execute(Tuple.of(utc(usageCutoff))))
                .replaceWith(result));
    }

    private Uni<Void> createDays(SqlConnection conn, LocalDate today, int offset, Maintenance result) {
        if (offset > Math.max(0, config.partitionsAhead())) {
            return Uni.createFrom().voidItem();
        }
        return createDay(conn, today.plusDays(offset), result)
                .chain(() -> createDays(conn, today, offset + 1, result));
    }

    private Uni<Void> createDay(SqlConnection conn, LocalDate day, Maintenance result) {
        String name = partitionName(day);
        OffsetDateTime from = day.atStartOfDay().atOffset(ZoneOffset.UTC);
        OffsetDateTime to = from.plusDays(1);
        // Literals built from a LocalDate only: DDL takes no bind parameters.
        String bounds = "for values from ('" + from + "') to ('" + to + "')";
        return conn.preparedQuery("select to_regclass($1) is not null").execute(Tuple.of(name))
                .map(rows -> rows.iterator().next().getBoolean(0))
                .chain(exists -> {
                    if (exists) {
                        return Uni.createFrom().voidItem();
                    }
                    result.created().add(name);
                    return conn.preparedQuery("select exists (select 1 from request_logs_default"
                            + " where occurred_at >= $1 and occurred_at < $2)").execute(Tuple.of(from, to))
                            .map(rows -> rows.iterator().next().getBoolean(0))
                            .chain(stranded -> stranded ? moveFromDefault(conn, name, from, to, bounds, result)
                                    : conn.query("create table if not exists " + name
                                            + " partition of request_logs " + bounds).execute().replaceWithVoid());
                });
    }

    private static Uni<Void> moveFromDefault(SqlConnection conn, String name, OffsetDateTime from,
            OffsetDateTime to, String bounds, Maintenance result) {
        result.moved().add(name);
        String range = " where occurred_at >= '" + from + "' and occurred_at < '" + to + "'";
        return conn.query("lock table request_logs_default in exclusive mode").execute()
                .chain(() -> conn.query("create table " + name
                        + " (like request_logs including defaults including constraints)").execute())
                .chain(() -> conn.query("insert into " + name + " select * from request_logs_default" + range)
                        .execute())
                .chain(() -> conn.query("delete from request_logs_default" + range).execute())
                .chain(() -> conn.query("alter table request_logs attach partition " + name + " " + bounds)
                        .execute())
                .replaceWithVoid();
    }

    private static Uni<Void> dropOld(SqlConnection conn, Instant cutoff, Maintenance result) {
        return conn.query("select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid"
                + " where i.inhparent = 'request_logs'::regclass").execute()
                .chain(rows -> {
                    List<String> old = new ArrayList<>();
                    for (Row row : rows) {
                        String name = row.getString(0);
                        if (DAILY.matcher(name).matches()) {
                            LocalDate day = LocalDate.parse(name.substring(PREFIX.length()), DAY);
                            if (!day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).isAfter(cutoff)) {
                                old.add(name);
                            }
                        }
                    }
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (String name : old) {
                        chain = chain.chain(() -> conn.query("drop table if exists " + name).execute())
                                .invoke(() -> result.dropped().add(name)).replaceWithVoid();
                    }
                    return chain;
                });
    }

    static String partitionName(LocalDate day) {
        return PREFIX + DAY.format(day);
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
