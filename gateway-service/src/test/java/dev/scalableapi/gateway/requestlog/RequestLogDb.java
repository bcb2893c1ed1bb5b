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
