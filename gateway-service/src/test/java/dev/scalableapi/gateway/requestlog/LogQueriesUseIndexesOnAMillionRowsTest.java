package dev.scalableapi.gateway.requestlog;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.in;
import static org.hamcrest.Matchers.not;

import dev.scalableapi.gateway.paging.KeysetCursor;
import dev.scalableapi.gateway.storage.DatabaseDeadline;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The admin log query stays an index walk on a big table: a million rows go into a partition of their own (a
 * month long ago), and for every filter the API offers, the statement {@link RequestLogQuery} really sends (taken
 * from the class itself, with its bound parameters) is explained: on the big partition the plan reads the index
 * made for that filter and never scans the table. No timings: the plan is the property.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogQueriesUseIndexesOnAMillionRowsTest {

    private static final String BIG = "request_logs_million_rows_test";
    private static final Instant MONTH_START = Instant.parse("2001-01-01T00:00:00Z");
    private static final Instant MONTH_END = Instant.parse("2001-02-01T00:00:00Z");
    private static final Duration BULK_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final int PAGE = 50;

    /** The statement and parameters the query handed to the database. */
    static final class Sent extends RuntimeException {
        final String sql;
        final Tuple params;

        Sent(String sql, Tuple params) {
            super(sql, null, false, false);
            this.sql = sql;
            this.params = params;
        }
    }

    @Inject
    Pool pool;

    @BeforeAll
    void fillAPartitionWithAMillionRows() {
        dropBigPartition();
        // Built stand-alone and attached afterwards: the partition's indexes are then built once, in bulk.
        bulk("create table " + BIG + " (like request_logs including defaults)");
        bulk("insert into " + BIG + " (occurred_at, request_id, method, route, path, status, latency_ms, key_id,"
                + " instance)"
                + " select timestamptz '" + MONTH_START + "' + g * interval '2 seconds', 'bulk-' || g,"
                + " case when g % 100 < 80 then 'GET' when g % 100 < 95 then 'POST' when g % 100 < 98 then 'PUT'"
                + "   else 'DELETE' end,"
                + " '/api/v1/resources/{id}',"
                + " case when g % 1000 = 3 then '/api/v1/reports/' || g else '/api/v1/resources/' || (g % 5000) end,"
                + " case when g % 50 = 0 then 404 when g % 400 = 1 then 503 when g % 400 = 2 then 500 else 200 end,"
                + " (g % 97) + 0.5, 900000000 + g % 1000, 'bulk'"
                + " from generate_series(1, 1000000) g");
        bulk("alter table " + BIG + " add constraint " + BIG + "_range check (occurred_at >= '" + MONTH_START
                + "' and occurred_at < '" + MONTH_END + "')");
        bulk("alter table request_logs attach partition " + BIG + " for values from ('" + MONTH_START + "') to ('"
                + MONTH_END + "')");
        bulk("analyze " + BIG);
    }

    @AfterAll
    void dropBigPartition() {
        bulk("drop table if exists " + BIG);
    }

    @Test
    void newestFirstWithoutFiltersWalksTheTimeIndex() {
        assertWalks("request_logs_time_idx", filter(null, null, null, null, null, null, null, null), null);
    }

    @Test
    void timeRangeWalksTheTimeIndex() {
        assertWalks("request_logs_time_idx", filter(at(3), at(9), null, null, null, null, null, null), null);
        assertWalks("request_logs_time_idx", filter(at(3), null, null, null, null, null, null, null), null);
        assertWalks("request_logs_time_idx", filter(null, at(9), null, null, null, null, null, null), null);
    }

    @Test
    void nextPagesWalkTheTimeIndexFromTheCursor() {
        assertWalks("request_logs_time_idx", filter(null, null, null, null, null, null, null, null),
                new KeysetCursor(at(12), 500_000));
    }

    @Test
    void oneStatusWalksTheStatusIndex() {
        assertWalks("request_logs_status_idx", filter(null, null, 503, 503, null, null, null, null), null);
        assertWalks("request_logs_status_idx", filter(null, null, 404, 404, null, null, null, null),
                new KeysetCursor(at(12), 500_000));
    }

    @Test
    void aStatusClassReadsAnIndex() {
        // A class is a range of statuses: either the status index plus a sort of its (few) rows, or the time
        // index with a filter, whichever the planner prices lower; never the whole table.
        assertWalks(Set.of("request_logs_status_idx", "request_logs_time_idx"),
                filter(null, null, 500, 599, null, null, null, null), null);
    }

    @Test
    void methodWalksTheTimeIndex() {
        assertWalks("request_logs_time_idx", filter(null, null, null, null, "DELETE", null, null, null), null);
        assertWalks("request_logs_time_idx", filter(null, null, null, null, "GET", null, null, null), null);
    }

    @Test
    void rarePathPrefixReadsThePathIndex() {
        assertWalks("request_logs_path_idx", filter(null, null, null, null, null, "/api/v1/reports/", null, null),
                null);
        assertWalks("request_logs_path_idx", filter(null, null, null, null, null, "/api/v1/reports/12", null, null),
                null);
    }

    @Test
    void commonPathPrefixWalksTheTimeIndex() {
        assertWalks("request_logs_time_idx", filter(null, null, null, null, null, "/api/v1/resources/", null, null),
                null);
    }

    @Test
    void keyWalksTheKeyIndex() {
        assertWalks("request_logs_key_idx", filter(null, null, null, null, null, null, 900000042L, null), null);
        assertWalks("request_logs_key_idx", filter(at(2), at(20), null, null, "GET", null, 900000042L, null),
                new KeysetCursor(at(12), 500_000));
    }

    @Test
    void requestIdReadsTheRequestIdIndex() {
        assertWalks("request_logs_request_id_idx",
                filter(null, null, null, null, null, null, null, "bulk-424242"), null);
    }

    private static RequestLogQuery.Filter filter(Instant from, Instant to, Integer statusFrom, Integer statusTo,
            String method, String pathPrefix, Long keyId, String requestId) {
        return new RequestLogQuery.Filter(from, to, statusFrom, statusTo, method, pathPrefix, keyId, requestId);
    }

    /** An instant {@code days} into the big partition's month. */
    private static Instant at(int days) {
        return MONTH_START.plus(Duration.ofDays(days));
    }

    private void assertWalks(String parentIndex, RequestLogQuery.Filter filter, KeysetCursor cursor) {
        assertWalks(Set.of(parentIndex), filter, cursor);
    }

    /**
     * Explains the statement {@link RequestLogQuery#page} sends for {@code filter} and asserts that the big
     * partition is read only through its copy of one of {@code parentIndexes}.
     */
    private void assertWalks(Set<String> parentIndexes, RequestLogQuery.Filter filter, KeysetCursor cursor) {
        Sent sent = statementFor(filter, cursor);
        Object output = RequestLogDb.query(pool, "explain (format json) " + sent.sql, toArray(sent.params)).get(0)
                .getValue(0);
        JsonArray explained = output instanceof JsonArray array ? array : new JsonArray(output.toString());
        JsonObject plan = explained.getJsonObject(0).getJsonObject("Plan");
        List<JsonObject> onBig = new ArrayList<>();
        collectScansOf(plan, onBig);
        String described = sent.sql + "\n" + plan.encodePrettily();

        assertThat("the big partition is read at all: " + described, onBig, not(empty()));
        List<String> expected = parentIndexes.stream().map(this::partitionIndexOf).toList();
        for (JsonObject scan : onBig) {
            assertThat("no sequential scan of a million rows: " + described, scan.getString("Node Type"),
                    not("Seq Scan"));
            for (String index : indexesOf(scan)) {
                assertThat("index used on the big partition: " + described, index, in(expected));
            }
            assertThat("an index is used: " + described, indexesOf(scan), not(empty()));
        }
    }

    /** Lets the real {@link RequestLogQuery} build its statement, and catches it on its way to the database. */
    private Sent statementFor(RequestLogQuery.Filter filter, KeysetCursor cursor) {
        io.vertx.sqlclient.Pool capturing = (io.vertx.sqlclient.Pool) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {io.vertx.sqlclient.Pool.class},
                (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return switch (method.getName()) {
                            case "equals" -> proxy == args[0];
                            case "hashCode" -> System.identityHashCode(proxy);
                            default -> "capturing pool";
                        };
                    }
                    if (!method.getName().equals("preparedQuery")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    String sql = (String) args[0];
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {PreparedQuery.class},
                            (query, call, callArgs) -> {
                                if (!call.getName().equals("execute") || callArgs == null
                                        || !(callArgs[0] instanceof Tuple tuple)) {
                                    throw new UnsupportedOperationException(call.getName());
                                }
                                Future<Object> failed = Future.failedFuture(new Sent(sql, tuple));
                                if (callArgs.length == 2 && callArgs[1] instanceof Handler<?> handler) {
                                    @SuppressWarnings("unchecked")
                                    Handler<Future<Object>> results = (Handler<Future<Object>>) handler;
                                    results.handle(failed);
                                    return null;
                                }
                                return failed;
                            });
                });
        try {
            new RequestLogQuery(Pool.newInstance(capturing), new DatabaseDeadline(() -> TIMEOUT)).page(filter, cursor, PAGE).await().atMost(TIMEOUT);
        } catch (Sent sent) {
            return sent;
        }
        throw new AssertionError("RequestLogQuery sent no statement");
    }

    private static Object[] toArray(Tuple tuple) {
        Object[] values = new Object[tuple.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = tuple.getValue(i);
        }
        return values;
    }

    private static void collectScansOf(JsonObject node, List<JsonObject> found) {
        if (BIG.equals(node.getString("Relation Name"))) {
            found.add(node);
        }
        JsonArray children = node.getJsonArray("Plans");
        if (children != null) {
            for (int i = 0; i < children.size(); i++) {
                collectScansOf(children.getJsonObject(i), found);
            }
        }
    }

    /** The index a scan node reads: its own, or those of the bitmap index scans under a bitmap heap scan. */
    private static List<String> indexesOf(JsonObject scan) {
        List<String> names = new ArrayList<>();
        collectIndexNames(scan, names);
        return names;
    }

    private static void collectIndexNames(JsonObject node, List<String> names) {
        if (node.getString("Index Name") != null) {
            names.add(node.getString("Index Name"));
        }
        JsonArray children = node.getJsonArray("Plans");
        if (children != null) {
            for (int i = 0; i < children.size(); i++) {
                collectIndexNames(children.getJsonObject(i), names);
            }
        }
    }

    /** The big partition's own copy of an index the migrations define on {@code request_logs}. */
    private String partitionIndexOf(String parentIndex) {
        List<Row> rows = RequestLogDb.query(pool, "select c.relname from pg_inherits i"
                + " join pg_class c on c.oid = i.inhrelid join pg_index x on x.indexrelid = c.oid"
                + " where i.inhparent = to_regclass($1) and x.indrelid = to_regclass($2)", parentIndex, BIG);
        assertThat("index " + parentIndex + " exists on the partition", rows, not(empty()));
        return rows.get(0).getString(0);
    }

    private void bulk(String sql) {
        pool.query(sql).execute().await().atMost(BULK_TIMEOUT);
    }
}
