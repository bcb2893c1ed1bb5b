package dev.scalableapi.gateway.storage;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Keeps one table, partitioned by range of {@code occurred_at} with a {@code <table>_default} partition, cut into
 * UTC days: creates {@code <table>_YYYYMMDD} for today and the next {@code ahead} days, drops daily partitions
 * whose day ended more than {@code retention} ago, and deletes stragglers of that age from the default partition.
 * Retention therefore drops whole partitions instead of deleting rows one by one.
 *
 * <p>It works inside the caller's transaction; callers serialise runs across replicas (a transaction-scoped
 * advisory lock), so that a second run finds nothing to do.
 *
 * <p>The default partition: because days are created ahead, it normally stays empty. If rows for a day landed
 * there anyway (the job could not run for days), creating that day's partition would fail, so the rows are moved:
 * the default partition is locked against inserts, the day's table is created stand-alone, the rows are copied
 * into it and deleted from the default, and the table is attached — all in the caller's transaction.
 */
public final class DailyPartitions {

    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    /** What one run changed. */
    public record Maintenance(List<String> created, List<String> moved, List<String> dropped) {
    }

    private final String table;
    private final Pattern daily;

    /** {@code table} is a constant of the caller's (it is written into DDL, which takes no bind parameters). */
    public DailyPartitions(String table) {
        this.table = table;
        this.daily = Pattern.compile(Pattern.quote(table + "_") + "\\d{8}");
    }

    public static String partitionName(String table, LocalDate day) {
        return table + "_" + DAY.format(day);
    }

    public Uni<Maintenance> maintain(SqlConnection conn, Instant now, Duration retention, int ahead) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Instant cutoff = now.minus(retention);
        Maintenance result = new Maintenance(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        return createDays(conn, today, 0, Math.max(0, ahead), result)
                .chain(() -> dropOld(conn, cutoff, result))
                .chain(() -> conn.preparedQuery("delete from " + table + "_default where occurred_at < $1")
                        .execute(Tuple.of(OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC))))
                .replaceWith(result);
    }

    private Uni<Void> createDays(SqlConnection conn, LocalDate today, int offset, int ahead, Maintenance result) {
        if (offset > ahead) {
            return Uni.createFrom().voidItem();
        }
        return createDay(conn, today.plusDays(offset), result)
                .chain(() -> createDays(conn, today, offset + 1, ahead, result));
    }

    private Uni<Void> createDay(SqlConnection conn, LocalDate day, Maintenance result) {
        String name = partitionName(table, day);
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
                    return conn.preparedQuery("select exists (select 1 from " + table + "_default"
                            + " where occurred_at >= $1 and occurred_at < $2)").execute(Tuple.of(from, to))
                            .map(rows -> rows.iterator().next().getBoolean(0))
                            .chain(stranded -> stranded ? moveFromDefault(conn, name, from, to, bounds, result)
                                    : conn.query("create table if not exists " + name
                                            + " partition of " + table + " " + bounds).execute().replaceWithVoid());
                });
    }

    private Uni<Void> moveFromDefault(SqlConnection conn, String name, OffsetDateTime from, OffsetDateTime to,
            String bounds, Maintenance result) {
        result.moved().add(name);
        String range = " where occurred_at >= '" + from + "' and occurred_at < '" + to + "'";
        return conn.query("lock table " + table + "_default in exclusive mode").execute()
                .chain(() -> conn.query("create table " + name
                        + " (like " + table + " including defaults including constraints)").execute())
                .chain(() -> conn.query("insert into " + name + " select * from " + table + "_default" + range)
                        .execute())
                .chain(() -> conn.query("delete from " + table + "_default" + range).execute())
                .chain(() -> conn.query("alter table " + table + " attach partition " + name + " " + bounds)
                        .execute())
                .replaceWithVoid();
    }

    private Uni<Void> dropOld(SqlConnection conn, Instant cutoff, Maintenance result) {
        return conn.query("select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid"
                + " where i.inhparent = '" + table + "'::regclass").execute()
                .chain(rows -> {
                    List<String> old = new ArrayList<>();
                    for (Row row : rows) {
                        String name = row.getString(0);
                        if (daily.matcher(name).matches()) {
                            LocalDate day = LocalDate.parse(name.substring(table.length() + 1), DAY);
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
}
