package dev.scalableapi.gateway.audit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scalableapi.gateway.storage.DailyPartitions;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The audit log is partitioned by day like the request logs: the job creates today and the days ahead, and after
 * the retention (90 days by default) whole days are dropped and stragglers in the default partition deleted.
 */
@QuarkusTest
class AuditRetentionTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    AuditLogPartitions partitions;

    @Inject
    Pool pool;

    @Test
    void daysPastTheRetentionAreDroppedAndRecentOnesKept() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate expiredDay = today.minusDays(95);
        String expired = DailyPartitions.partitionName("audit_log", expiredDay);
        OffsetDateTime expiredStart = expiredDay.atStartOfDay().atOffset(ZoneOffset.UTC);
        execute("create table if not exists " + expired + " partition of audit_log for values from ('"
                + expiredStart + "') to ('" + expiredStart.plusDays(1) + "')", Tuple.tuple());
        String marker = "retention-" + UUID.randomUUID();
        insert(marker + "-expired-day", expiredStart.plusHours(1));
        insert(marker + "-expired-default", OffsetDateTime.now(ZoneOffset.UTC).minusDays(120));
        insert(marker + "-recent", OffsetDateTime.now(ZoneOffset.UTC).minusDays(10));

        DailyPartitions.Maintenance run = partitions.maintain().await().atMost(TIMEOUT);

        assertThat(run.dropped(), hasItem(expired));
        List<String> days = new ArrayList<>();
        query("select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid"
                + " where i.inhparent = 'audit_log'::regclass", Tuple.tuple()).forEach(r -> days.add(r.getString(0)));
        assertThat(days, hasItems(DailyPartitions.partitionName("audit_log", today),
                DailyPartitions.partitionName("audit_log", today.plusDays(1)),
                DailyPartitions.partitionName("audit_log", today.plusDays(2))));
        assertThat(days, not(hasItem(expired)));
        List<String> left = new ArrayList<>();
        query("select target from audit_log where target like $1", Tuple.of(marker + "%"))
                .forEach(r -> left.add(r.getString(0)));
        assertEquals(List.of(marker + "-recent"), left);
    }

    private void insert(String target, OffsetDateTime at) {
        execute("insert into audit_log (occurred_at, action, target, outcome) values ($1, 'cache.clear', $2,"
                + " 'success')", Tuple.of(at, target));
    }

    private void execute(String sql, Tuple args) {
        pool.preparedQuery(sql).execute(args).await().atMost(TIMEOUT);
    }

    private List<Row> query(String sql, Tuple args) {
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery(sql).execute(args).await().atMost(TIMEOUT).forEach(rows::add);
        return rows;
    }
}
