package dev.scalableapi.gateway.requestlog;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Direct reads and DDL against the test database, through the application's reactive pool. */
final class RequestLogDb {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private RequestLogDb() {
    }

    static List<Row> query(Pool pool, String sql, Object... params) {
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(TIMEOUT).forEach(rows::add);
        return rows;
    }

    /** A key's requests, 429s and 5xx in key_usage_hourly, summed over every hour (a run may straddle two). */
    static List<Long> usage(Pool pool, long keyId) {
        Row row = query(pool, "select coalesce(sum(requests), 0)::int8, coalesce(sum(rate_limited), 0)::int8,"
                + " coalesce(sum(errors), 0)::int8 from key_usage_hourly where key_id = $1", keyId).get(0);
        return List.of(row.getLong(0), row.getLong(1), row.getLong(2));
    }

    static void execute(Pool pool, String sql) {
        pool.query(sql).execute().await().atMost(TIMEOUT);
    }

    static List<String> dailyPartitions(Pool pool) {
        List<String> names = new ArrayList<>();
        for (Row row : query(pool, "select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid"
                + " where i.inhparent = 'request_logs'::regclass and c.relname ~ '^request_logs_[0-9]{8}$'"
                + " order by c.relname")) {
            names.add(row.getString(0));
        }
        return names;
    }
}
