package dev.scalableapi.gateway.requestlog;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import dev.scalableapi.gateway.storage.DailyPartitions;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The partition job keeps today and the next days partitioned, drops expired days, and is safe to race. */
@QuarkusTest
class PartitionMaintenanceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    RequestLogPartitions partitions;

    @Inject
    Pool pool;

    @Test
    void createsTodayAndTheDaysAheadAndDropsExpiredDays() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String old = DailyPartitions.partitionName("request_logs", today.minusDays(30));
        OffsetDateTime oldStart = today.minusDays(30).atStartOfDay().atOffset(ZoneOffset.UTC);
        RequestLogDb.execute(pool, "create table if not exists " + old + " partition of request_logs for values from ('"
                + oldStart + "') to ('" + oldStart.plusDays(1) + "')");
        insertAt(oldStart.plusHours(3), "expired-row");
        RequestLogDb.execute(pool, "delete from key_usage_hourly where key_id = 31");
        RequestLogDb.execute(pool, "insert into key_usage_hourly (key_id, hour, requests) values (31, now() - interval"
                + " '200 days', 1), (31, date_trunc('hour', now()), 1)");

        DailyPartitions.Maintenance run = partitions.maintain().await().atMost(TIMEOUT);

        assertThat(run.dropped(), hasItem(old));
        List<String> daily = RequestLogDb.dailyPartitions(pool);
        assertThat(daily, hasItems(DailyPartitions.partitionName("request_logs", today),
                DailyPartitions.partitionName("request_logs", today.plusDays(1)),
                DailyPartitions.partitionName("request_logs", today.plusDays(2))));
        assertThat(daily, not(hasItem(old)));
        assertThat(RequestLogDb.query(pool, "select count(*) from request_logs where request_id = 'expired-row'")
                .get(0).getLong(0), equalTo(0L));
        assertThat(RequestLogDb.query(pool, "select count(*) from key_usage_hourly where key_id = 31")
                .get(0).getLong(0), equalTo(1L));
    }

    @Test
    void twoConcurrentRunsBothSucceedAndAgree() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String ahead = DailyPartitions.partitionName("request_logs", today.plusDays(2));
        RequestLogDb.execute(pool, "drop table if exists " + ahead);

        List<DailyPartitions.Maintenance> runs = Uni.join()
                .all(partitions.maintain(), partitions.maintain()).andFailFast()
                .await().atMost(TIMEOUT);

        // The advisory lock serialises them: exactly one creates the missing day, the other finds it there.
        long creators = runs.stream().filter(r -> r.created().contains(ahead)).count();
        assertThat(creators, equalTo(1L));
        assertThat(RequestLogDb.dailyPartitions(pool), hasItem(ahead));
        DailyPartitions.Maintenance again = partitions.maintain().await().atMost(TIMEOUT);
        assertThat(again.created(), equalTo(List.of()));
    }

    @Test
    void rowsStrandedInTheDefaultPartitionMoveIntoTheirNewDay() {
        LocalDate day = LocalDate.now(ZoneOffset.UTC).plusDays(2);
        String name = DailyPartitions.partitionName("request_logs", day);
        RequestLogDb.execute(pool, "drop table if exists " + name);
        insertAt(day.atStartOfDay().atOffset(ZoneOffset.UTC).plusHours(12), "stranded-row");
        assertThat(partitionOf("stranded-row"), contains("request_logs_default"));

        DailyPartitions.Maintenance run = partitions.maintain().await().atMost(TIMEOUT);

        assertThat(run.moved(), contains(name));
        assertThat(partitionOf("stranded-row"), contains(name));
    }

    private List<String> partitionOf(String requestId) {
        return RequestLogDb.query(pool, "select tableoid::regclass::text from request_logs where request_id = $1",
                requestId).stream().map(r -> r.getString(0)).toList();
    }

    private void insertAt(OffsetDateTime at, String requestId) {
        RequestLogDb.query(pool, "insert into request_logs (occurred_at, request_id, method, route, path, status,"
                + " latency_ms, instance) values ($1, $2, 'GET', '/x', '/x', 200, 1, 'gateway-test')", at, requestId);
    }
}
