package dev.scalableapi.gateway.audit;

import dev.scalableapi.gateway.storage.StorableText;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Failed and throttled logins in the audit log, aggregated so that a password-guessing loop cannot flood it: one
 * row per (action, outcome, email, client address, minute) whose {@code attempts} counts the attempts.
 * {@link #record} only adds to a count in memory (no I/O on the request path); every {@code flush-interval} the
 * counts are upserted in one statement ({@code on conflict … do update set attempts = attempts + …}), so replicas
 * add to the same rows.
 * <p>
 * Bounds: the email is made storable and cut to {@value #EMAIL_MAX} bytes before it is kept; one replica keeps at
 * most {@code buckets-per-minute} distinct rows per minute, attempts beyond are counted in the minute's overflow
 * row of their action and outcome (email and address {@value #OVERFLOW}) and in
 * {@code gateway_audit_failed_logins_overflow_total}. Nothing is lost silently: a batch PostgreSQL refuses
 * {@code write-attempts} times is dropped and its attempts are counted in
 * {@code gateway_audit_failed_logins_dropped_total}; a write that timed out but did happen may be counted twice.
 */
@ApplicationScoped
public class FailedLoginAudit {

    /** Longest email kept, in UTF-8 bytes: the longest a mail path may be (RFC 5321). */
    public static final int EMAIL_MAX = 254;
    /** Email and address of the rows that collect a minute's attempts beyond its distinct rows. */
    public static final String OVERFLOW = "*";

    private static final Logger LOG = Logger.getLogger(FailedLoginAudit.class);
    private static final int CLIENT_IP_MAX = 45;
    private static final int REQUEST_ID_MAX = 64;
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);
    private static final String UPSERT = """
            insert into audit_log (occurred_at, action, outcome, actor_email, client_ip, request_id, attempts)
            select * from unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                                 $7::int4[])
            on conflict (action, outcome, actor_email, client_ip, occurred_at)
                where action in ('auth.login', 'admin.login') and outcome in ('failure', 'throttled')
            do update set attempts = audit_log.attempts + excluded.attempts, request_id = excluded.request_id""";

    /** One row: the minute is part of it. */
    record Bucket(String action, String outcome, String email, String clientIp, Instant minute) {
    }

    /** A row's attempts since the last flush and the latest request among them. */
    static final class Tally {
        int attempts;
        String requestId;
    }

    private final Pool pool;
    private final AuditConfig.FailedLogins config;
    private final Counter overflow;
    private final Counter dropped;
    private final Clock clock = Clock.systemUTC();

    /** Guarded by {@code this}: the counts since the last flush, and the rows seen in the current minute. */
    private Map<Bucket, Tally> pending = new HashMap<>();
    private final Set<Bucket> seenThisMinute = new HashSet<>();
    private Instant minute = Instant.EPOCH;

    /** Touched only by the flush, which never runs twice at once: the batch waiting for another attempt. */
    private Map<Bucket, Tally> retrying;
    private int attempts;

    FailedLoginAudit(Pool pool, AuditConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.config = config.failedLogins();
        this.overflow = Counter.builder("gateway.audit.failed.logins.overflow")
                .description("Failed logins counted in their minute's overflow row (email and address *)")
                .register(registry);
        this.dropped = Counter.builder("gateway.audit.failed.logins.dropped")
                .description("Failed logins whose aggregate could not be written to the audit log")
                .register(registry);
    }

    /** Counts one failed ({@code failure}) or refused ({@code throttled}) login; never blocks, never fails. */
    public void record(String action, String outcome, String email, String clientIp, String requestId) {
        String storedEmail = StorableText.of(email == null ? "" : email.trim().toLowerCase(Locale.ROOT), EMAIL_MAX);
        String storedIp = clientIp == null ? "unknown" : StorableText.of(clientIp, CLIENT_IP_MAX);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        synchronized (this) {
            if (now.isAfter(minute)) {
                minute = now;
                seenThisMinute.clear();
            }
            Bucket bucket = new Bucket(action, outcome, storedEmail, storedIp, minute);
            if (!seenThisMinute.contains(bucket)) {
                if (seenThisMinute.size() < config.bucketsPerMinute()) {
                    seenThisMinute.add(bucket);
                } else {
                    bucket = new Bucket(action, outcome, OVERFLOW, OVERFLOW, minute);
                    overflow.increment();
                }
            }
            Tally tally = pending.computeIfAbsent(bucket, b -> new Tally());
            tally.attempts++;
            tally.requestId = StorableText.of(requestId, REQUEST_ID_MAX);
        }
    }

    @Scheduled(identity = "audit-failed-logins", every = "${gateway.audit.failed-logins.flush-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> flush() {
        Map<Bucket, Tally> batch = retrying;
        if (batch == null) {
            synchronized (this) {
                if (pending.isEmpty()) {
                    return Uni.createFrom().voidItem();
                }
                batch = pending;
                pending = new HashMap<>();
            }
        }
        Map<Bucket, Tally> writing = batch;
        return write(writing)
                .invoke(() -> {
                    retrying = null;
                    attempts = 0;
                })
                .onFailure().recoverWithItem(failure -> {
                    failed(writing, failure);
                    return null;
                });
    }

    void onStop(@Observes ShutdownEvent event) {
        try {
            flush().chain(() -> retrying == null ? Uni.createFrom().voidItem() : flush())
                    .await().atMost(SHUTDOWN_WAIT);
        } catch (RuntimeException e) {
            LOG.warnf("Failed logins not written at shutdown: %s", e.toString());
        }
    }

    private void failed(Map<Bucket, Tally> batch, Throwable failure) {
        attempts = retrying == batch ? attempts + 1 : 1;
        if (attempts >= Math.max(1, config.writeAttempts())) {
            long lost = batch.values().stream().mapToLong(t -> t.attempts).sum();
            LOG.errorf("Dropping %d failed logins (%d audit rows) after %d failed writes: %s", lost, batch.size(),
                    attempts, failure.toString());
            dropped.increment(lost);
            retrying = null;
            attempts = 0;
        } else {
            LOG.debugf("Failed logins not written (attempt %d), retrying: %s", attempts, failure.toString());
            retrying = batch;
        }
    }

    private Uni<Void> write(Map<Bucket, Tally> batch) {
        int n = batch.size();
        OffsetDateTime[] at = new OffsetDateTime[n];
        String[] action = new String[n];
        String[] outcome = new String[n];
        String[] email = new String[n];
        String[] ip = new String[n];
        String[] requestId = new String[n];
        Integer[] count = new Integer[n];
        int i = 0;
        for (Map.Entry<Bucket, Tally> row : batch.entrySet()) {
            Bucket bucket = row.getKey();
            at[i] = OffsetDateTime.ofInstant(bucket.minute(), ZoneOffset.UTC);
            action[i] = bucket.action();
            outcome[i] = bucket.outcome();
            email[i] = bucket.email();
            ip[i] = bucket.clientIp();
            requestId[i] = row.getValue().requestId;
            count[i] = row.getValue().attempts;
            i++;
        }
        return pool.preparedQuery(UPSERT)
                .execute(Tuple.tuple().addValue(at).addValue(action).addValue(outcome).addValue(email).addValue(ip)
                        .addValue(requestId).addValue(count))
                .replaceWithVoid();
    }
}
