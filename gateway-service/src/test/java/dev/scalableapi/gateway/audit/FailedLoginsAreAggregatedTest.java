package dev.scalableapi.gateway.audit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.gateway.support.Accounts;
import dev.scalableapi.gateway.support.TestKeys;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A password-guessing loop cannot flood the audit log: failed and throttled logins become one row per (action,
 * outcome, email, address, minute) with the number of attempts, at most {@code buckets-per-minute} (1,000) distinct
 * rows per minute and replica plus one overflow row per action and outcome, and the counts add up. The component
 * tests drive an aggregator of their own (its per-minute budget is not the application's) and flush it themselves.
 */
@QuarkusTest
class FailedLoginsAreAggregatedTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    @Test
    void tenThousandFailedLoginsBecomeABoundedNumberOfRowsWhoseCountsAddUp() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FailedLoginAudit failedLogins = new FailedLoginAudit(pool, config(1_000), registry);
        String domain = "@flood-" + UUID.randomUUID() + ".invalid";
        long overflowBefore = overflowAttempts();
        Map<String, Integer> expected = new HashMap<>();
        // 8,000 attempts over 37 emails × 13 addresses (481 rows; some emails throttled), then 2,000 with an email
        // each: more distinct rows than a minute may have, so the rest goes to the overflow rows.
        for (int i = 0; i < 8_000; i++) {
            String email = "victim-" + (i % 37) + domain;
            String ip = "203.0.113." + (i % 13);
            String outcome = i % 37 % 5 == 0 ? AuditEntry.THROTTLED : AuditEntry.FAILURE;
            failedLogins.record("auth.login", outcome, email.toUpperCase(), ip, "rid-" + i);
            expected.merge(email + "|" + ip + "|" + outcome, 1, Integer::sum);
        }
        for (int i = 0; i < 2_000; i++) {
            failedLogins.record("admin.login", AuditEntry.FAILURE, "spray-" + i + domain, "198.51.100.7", "rid-s" + i);
        }

        failedLogins.flush().await().atMost(TIMEOUT);

        List<Row> rows = rowsOf(domain);
        long written = attempts(rows) + overflowAttempts() - overflowBefore;
        assertEquals(10_000, written, "every attempt is counted once");
        // At most 1,000 distinct rows per minute; the run may straddle a minute boundary.
        assertTrue(rows.size() <= 2 * 1_000, "rows: " + rows.size());
        assertTrue(overflowAttempts() - overflowBefore > 0, "the spray beyond a minute's rows went to the overflow");
        Map<String, Integer> stored = new HashMap<>();
        for (Row row : rows) {
            if (row.getString("actor_email").startsWith("victim-")) {
                stored.merge(row.getString("actor_email") + "|" + row.getString("client_ip") + "|"
                        + row.getString("outcome"), row.getInteger("attempts"), Integer::sum);
            }
        }
        assertEquals(expected, stored, "each (email, address, outcome) adds up; emails kept lower-case");
        assertEquals(0.0, registry.get("gateway.audit.failed.logins.dropped").counter().count());
        assertEquals((double) overflowAttempts() - overflowBefore,
                registry.get("gateway.audit.failed.logins.overflow").counter().count());
    }

    @Test
    void failedLoginsOverHttpAreOneRowPerAccountAddressOutcomeAndMinute() {
        String rootToken = Accounts.rootToken();
        String domain = "@http-" + UUID.randomUUID() + ".invalid";
        // 5 accounts, each guessed 8 times from its own address: 5 checked failures, then 3 throttled.
        for (int account = 0; account < 5; account++) {
            String email = "guessed-" + account + domain;
            String ip = TestKeys.uniqueIp();
            for (int i = 0; i < 8; i++) {
                given().header("X-Forwarded-For", ip).contentType(ContentType.JSON)
                        .body(Map.of("email", email, "password", "guess-" + i)).post("/api/v1/auth/login")
                        .then().statusCode(i < 5 ? 401 : 429);
            }
        }

        List<Row> rows = awaitRows(() -> rowsOf(domain), found -> attempts(found) >= 40);
        assertEquals(40, attempts(rows));
        assertTrue(rows.size() >= 10 && rows.size() <= 20, "one row per account, outcome and minute: " + rows.size());

        List<Map<String, Object>> shown = Accounts.as(rootToken).queryParam("action", "auth.login")
                .queryParam("limit", 200).get("/api/v1/admin/audit").then().statusCode(200)
                .extract().jsonPath().getList("data");
        int failures = 0;
        for (Map<String, Object> entry : shown) {
            if (((String) entry.get("actorEmail")).endsWith(domain) && "failure".equals(entry.get("outcome"))) {
                failures += (Integer) entry.get("attempts");
            }
        }
        assertEquals(25, failures, "the admin API shows each row's attempts");
    }

    @Test
    void attackerChosenEmailsAreBoundedAndMadeStorableBeforeTheyAreKept() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FailedLoginAudit failedLogins = new FailedLoginAudit(pool, config(1_000), registry);
        String marker = "long-" + UUID.randomUUID();
        String email = marker + "\0" + "x".repeat(5_000) + "@test.invalid";
        failedLogins.record("auth.login", AuditEntry.FAILURE, email, "192.0.2.1", "rid-long");
        failedLogins.flush().await().atMost(TIMEOUT);

        List<Row> rows = query("select * from audit_log where actor_email like $1", Tuple.of(marker + "%"));
        assertEquals(1, rows.size());
        String stored = rows.get(0).getString("actor_email");
        assertEquals(FailedLoginAudit.EMAIL_MAX, stored.length() + 2, "cut to 254 bytes (U+FFFD is 3 of them)");
        assertTrue(stored.startsWith(marker + "\uFFFD"), stored.substring(0, 60));
    }

    private static AuditConfig config(int bucketsPerMinute) {
        return new AuditConfig() {
            @Override
            public Duration retention() {
                return Duration.ofDays(90);
            }

            @Override
            public Duration maintenanceInterval() {
                return Duration.ofHours(1);
            }

            @Override
            public int partitionsAhead() {
                return 2;
            }

            @Override
            public Duration maintenanceLockTimeout() {
                return Duration.ofSeconds(5);
            }

            @Override
            public FailedLogins failedLogins() {
                return new FailedLogins() {
                    @Override
                    public Duration flushInterval() {
                        return Duration.ofSeconds(1);
                    }

                    @Override
                    public int bucketsPerMinute() {
                        return bucketsPerMinute;
                    }

                    @Override
                    public int writeAttempts() {
                        return 3;
                    }
                };
            }
        };
    }

    private List<Row> rowsOf(String domain) {
        return query("select * from audit_log where actor_email like $1", Tuple.of("%" + domain));
    }

    private long overflowAttempts() {
        return query("select coalesce(sum(attempts), 0) from audit_log where actor_email = '*'", Tuple.tuple())
                .get(0).getLong(0);
    }

    private static long attempts(List<Row> rows) {
        return rows.stream().mapToLong(r -> r.getInteger("attempts")).sum();
    }

    private List<Row> query(String sql, Tuple args) {
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery(sql).execute(args).await().atMost(TIMEOUT).forEach(rows::add);
        return rows;
    }

    /** Polls until the asynchronous writer has written what {@code done} waits for, or the deadline passes. */
    private static List<Row> awaitRows(Supplier<List<Row>> read, Predicate<List<Row>> done) {
        Instant deadline = Instant.now().plus(TIMEOUT);
        List<Row> rows = read.get();
        while (!done.test(rows) && Instant.now().isBefore(deadline)) {
            rows = read.get();
        }
        return rows;
    }
}
