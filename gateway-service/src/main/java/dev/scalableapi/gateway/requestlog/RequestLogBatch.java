package dev.scalableapi.gateway.requestlog;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One batch as SQL, inside the caller's transaction: its rows as one multi-row {@code INSERT … SELECT FROM unnest}
 * of column arrays (one Bind/Execute, however many rows), then what it adds to each key's usage, aggregated here per
 * key and hour into one multi-row upsert of {@code key_usage_hourly}, and per key into one multi-row update of
 * {@code api_keys.last_used_at}. Usage and last use count every entry, sampled-out ones included. Keys are sent in
 * key order, so replicas upserting the same usage rows lock them in the same order.
 */
final class RequestLogBatch {

    static final String INSERT_ROWS = "insert into request_logs (occurred_at, request_id, method, route, path,"
            + " status, latency_ms, key_id, user_id, client_ip, instance, cache_status, error_code)"
            + " select * from unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int2[],"
            + " $7::float4[], $8::int8[], $9::int8[], $10::text[], $11::text[], $12::text[], $13::text[])";

    static final String UPSERT_USAGE = "insert into key_usage_hourly (key_id, hour, requests, rate_limited, errors)"
            + " select * from unnest($1::int8[], $2::timestamptz[], $3::int8[], $4::int8[], $5::int8[])"
            + " on conflict (key_id, hour) do update set"
            + " requests = key_usage_hourly.requests + excluded.requests,"
            + " rate_limited = key_usage_hourly.rate_limited + excluded.rate_limited,"
            + " errors = key_usage_hourly.errors + excluded.errors";

    static final String TOUCH_KEYS = "update api_keys k set last_used_at = greatest(k.last_used_at, t.at)"
            + " from unnest($1::int8[], $2::timestamptz[]) as t(id, at) where k.id = t.id";

    /**
     * SQLSTATE classes meaning the values themselves were refused (22 data exception, 23 integrity constraint, 54
     * program limit such as an oversized index entry): retrying the same rows would fail the same way.
     */
    private static final List<String> REFUSED_DATA = List.of("22", "23", "54");

    private final int size;
    private final Object[][] columns;
    private final Tuple usage;
    private final Tuple lastUsed;

    private RequestLogBatch(List<? extends RequestLogEntry> entries) {
        List<RequestLogRecord> rows = new ArrayList<>(entries.size());
        for (RequestLogEntry entry : entries) {
            if (entry instanceof RequestLogRecord row) {
                rows.add(row);
            }
        }
        this.size = rows.size();
        this.columns = columns(rows);
        this.usage = usage(entries);
        this.lastUsed = lastUsed(entries);
    }

    static RequestLogBatch of(List<? extends RequestLogEntry> entries) {
        return new RequestLogBatch(entries);
    }

    /** Rows to store (sampled-out entries have none). */
    int rows() {
        return size;
    }

    /** True when PostgreSQL refused the values themselves, so a row-by-row retry can keep the others. */
    static boolean refusedData(Throwable failure) {
        return failure instanceof PgException pg && pg.getSqlState() != null
                && REFUSED_DATA.contains(pg.getSqlState().substring(0, 2));
    }

    /** Writes every row and the usage. Emits the number of rows refused: always 0, a refusal fails it instead. */
    Uni<Integer> write(SqlConnection conn) {
        Uni<Integer> rows = size == 0 ? Uni.createFrom().item(0)
                : conn.preparedQuery(INSERT_ROWS).execute(rows(0, size)).replaceWith(0);
        return rows.call(() -> writeUsage(conn));
    }

    /**
     * Writes the rows PostgreSQL accepts and the usage of all, after {@link #write} failed on refused values: halves
     * of the batch are tried under a savepoint and a refused half is split again, so one bad row costs about
     * 2·log2(rows) statements instead of the batch. Emits the number of rows refused (and left out).
     */
    Uni<Integer> writeSkippingRefusedRows(SqlConnection conn) {
        return rowsOrHalves(conn, 0, size).call(() -> writeUsage(conn));
    }

    private Uni<Integer> rowsOrHalves(SqlConnection conn, int from, int to) {
        if (to - from <= 1) {
            return to == from ? Uni.createFrom().item(0) : rowsUnderSavepoint(conn, from, to);
        }
        int middle = (from + to) >>> 1;
        return rowsUnderSavepoint(conn, from, middle)
                .chain(left -> rowsUnderSavepoint(conn, middle, to).map(right -> left + right));
    }

    private Uni<Integer> rowsUnderSavepoint(SqlConnection conn, int from, int to) {
        return conn.query("savepoint request_log_rows").execute()
                .chain(() -> conn.preparedQuery(INSERT_ROWS).execute(rows(from, to)))
                .chain(() -> conn.query("release savepoint request_log_rows").execute())
                .replaceWith(0)
                .onFailure(RequestLogBatch::refusedData).recoverWithUni(refused -> conn
                        .query("rollback to savepoint request_log_rows; release savepoint request_log_rows").execute()
                        .chain(() -> to - from == 1 ? Uni.createFrom().item(1) : rowsOrHalves(conn, from, to)));
    }

    private Uni<Void> writeUsage(SqlConnection conn) {
        if (usage == null) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery(UPSERT_USAGE).execute(usage)
                .chain(() -> conn.preparedQuery(TOUCH_KEYS).execute(lastUsed))
                .replaceWithVoid();
    }

    /** The INSERT's 13 parameters for rows {@code from} (inclusive) to {@code to}: one array per column. */
    private Tuple rows(int from, int to) {
        Tuple tuple = Tuple.tuple();
        for (Object[] column : columns) {
            tuple.addValue(from == 0 && to == size ? column : Arrays.copyOfRange(column, from, to));
        }
        return tuple;
    }

    private static Object[][] columns(List<RequestLogRecord> rows) {
        int n = rows.size();
        OffsetDateTime[] occurredAt = new OffsetDateTime[n];
        String[] requestId = new String[n];
        String[] method = new String[n];
        String[] route = new String[n];
        String[] path = new String[n];
        Short[] status = new Short[n];
        Float[] latencyMs = new Float[n];
        Long[] keyId = new Long[n];
        Long[] userId = new Long[n];
        String[] clientIp = new String[n];
        String[] instance = new String[n];
        String[] cacheStatus = new String[n];
        String[] errorCode = new String[n];
        for (int i = 0; i < n; i++) {
            RequestLogRecord r = rows.get(i);
            occurredAt[i] = OffsetDateTime.ofInstant(r.occurredAt(), ZoneOffset.UTC);
            requestId[i] = r.requestId();
            method[i] = r.method();
            route[i] = r.route();
            path[i] = r.path();
            status[i] = (short) r.status();
            latencyMs[i] = r.latencyMs();
            keyId[i] = r.keyId();
            userId[i] = r.userId();
            clientIp[i] = r.clientIp();
            instance[i] = r.instance();
            cacheStatus[i] = r.cacheStatus();
            errorCode[i] = r.errorCode();
        }
        return new Object[][] {occurredAt, requestId, method, route, path, status, latencyMs, keyId, userId, clientIp,
                instance, cacheStatus, errorCode};
    }

    private record UsageKey(long keyId, Instant hour) {
    }

    /** Requests, 429s and 5xx per key and hour (UTC), ordered by key then hour; null when no entry has a key. */
    private static Tuple usage(List<? extends RequestLogEntry> entries) {
        Map<UsageKey, long[]> counts = new TreeMap<>(
                Comparator.comparingLong(UsageKey::keyId).thenComparing(UsageKey::hour));
        for (RequestLogEntry e : entries) {
            if (e.keyId() == null) {
                continue;
            }
            long[] c = counts.computeIfAbsent(
                    new UsageKey(e.keyId(), e.occurredAt().truncatedTo(ChronoUnit.HOURS)), k -> new long[3]);
            c[0]++;
            if (e.status() == 429) {
                c[1]++;
            }
            if (e.status() >= 500) {
                c[2]++;
            }
        }
        if (counts.isEmpty()) {
            return null;
        }
        int n = counts.size();
        Long[] keyId = new Long[n];
        OffsetDateTime[] hour = new OffsetDateTime[n];
        Long[] requests = new Long[n];
        Long[] rateLimited = new Long[n];
        Long[] errors = new Long[n];
        int i = 0;
        for (Map.Entry<UsageKey, long[]> count : counts.entrySet()) {
            keyId[i] = count.getKey().keyId();
            hour[i] = OffsetDateTime.ofInstant(count.getKey().hour(), ZoneOffset.UTC);
            requests[i] = count.getValue()[0];
            rateLimited[i] = count.getValue()[1];
            errors[i] = count.getValue()[2];
            i++;
        }
        return Tuple.tuple().addValue(keyId).addValue(hour).addValue(requests).addValue(rateLimited).addValue(errors);
    }

    /** Each key's latest request, in key order. */
    private static Tuple lastUsed(List<? extends RequestLogEntry> entries) {
        Map<Long, Instant> latest = new TreeMap<>();
        for (RequestLogEntry e : entries) {
            if (e.keyId() != null) {
                latest.merge(e.keyId(), e.occurredAt(), (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        Long[] keyId = latest.keySet().toArray(new Long[0]);
        OffsetDateTime[] at = latest.values().stream().map(t -> OffsetDateTime.ofInstant(t, ZoneOffset.UTC))
                .toArray(OffsetDateTime[]::new);
        return Tuple.tuple().addValue(keyId).addValue(at);
    }
}
