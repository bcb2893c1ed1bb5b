package dev.scalableapi.gateway.requestlog;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.gateway.support.Accounts;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/admin/logs} against rows written straight into {@code request_logs}: every filter returns
 * exactly the rows a plain in-memory filter of the same rows selects, newest first by (occurredAt, id); keyset
 * pages add up to the whole set, without duplicates or gaps, even when rows arrive between two pages; bad
 * parameters are a 400 {@code INVALID_PARAMETER} naming the parameter.
 *
 * <p>Each run writes its rows under its own path prefix and key ids, so rows logged by other tests never match
 * (path-based filters are combined with that prefix, key and request ids are unique anyway).
 */
@QuarkusTest
class LogQueryFiltersAndPagesTest {

    private static final String LOGS = "/api/v1/admin/logs";
    private static final String[] METHODS = {"GET", "POST", "GET", "DELETE", "PUT"};
    private static final int[] STATUSES = {200, 404, 500, 503, 201, 404, 302, 200, 429};
    private static final String[] SECTIONS = {"a/items/", "b/other/", "x_y/", "xzy/"};

    /** A row as inserted: the model the API's answers are checked against. */
    record Logged(long id, Instant occurredAt, String requestId, String method, String path, int status,
            Long keyId) {
    }

    private static final Comparator<Logged> NEWEST_FIRST = Comparator.comparing(Logged::occurredAt)
            .thenComparingLong(Logged::id).reversed();

    @Inject
    Pool pool;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String marker = "/lq-" + run + "/";
    private final long keyBase = 8_000_000_000L + ThreadLocalRandom.current().nextLong(1_000_000_000L);
    private final List<Logged> rows = new ArrayList<>();
    private String token;

    @BeforeEach
    void insertKnownRows() {
        token = Accounts.rootToken();
        // Spread over ~3 s ending a few seconds ago (today's partition), two rows per instant so that ties on
        // occurred_at must be broken by id.
        Instant base = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(8);
        for (int i = 0; i < 24; i++) {
            Instant at = base.plusMillis(250L * (i / 2)).plusNanos(7_000);
            insert(at, "lq-" + run + "-" + i, METHODS[i % METHODS.length],
                    marker + SECTIONS[i % SECTIONS.length] + i, STATUSES[i % STATUSES.length],
                    i % 5 == 0 ? null : keyBase + i % 3);
        }
    }

    @Test
    void everyFilterReturnsExactlyTheMatchingRowsNewestFirst() {
        assertFilter(Map.of("path", marker), r -> true);
        assertFilter(Map.of("path", marker + "a/"), r -> r.path().startsWith(marker + "a/"));
        // '_' and '%' in a prefix are literal characters, not LIKE wildcards.
        assertFilter(Map.of("path", marker + "x_y/"), r -> r.path().startsWith(marker + "x_y/"));
        assertFilter(Map.of("path", marker + "x%"), r -> false);
        assertFilter(Map.of("path", marker, "status", "404"), r -> r.status() == 404);
        assertFilter(Map.of("path", marker, "status", "5xx"), r -> r.status() >= 500 && r.status() <= 599);
        assertFilter(Map.of("path", marker, "status", "2XX"), r -> r.status() >= 200 && r.status() <= 299);
        assertFilter(Map.of("path", marker, "status", "418"), r -> false);
        assertFilter(Map.of("path", marker, "method", "DELETE"), r -> r.method().equals("DELETE"));
        assertFilter(Map.of("path", marker, "method", "get"), r -> r.method().equals("GET"));
        assertFilter(Map.of("keyId", String.valueOf(keyBase + 1)), r -> Long.valueOf(keyBase + 1).equals(r.keyId()));
        Logged one = rows.get(7);
        assertFilter(Map.of("requestId", one.requestId()), r -> r.requestId().equals(one.requestId()));

        // from is inclusive, to exclusive; both bounds fall on instants that two rows share.
        Instant from = rows.get(6).occurredAt();
        Instant to = rows.get(17).occurredAt();
        assertFilter(Map.of("path", marker, "from", from.toString(), "to", to.toString()),
                r -> !r.occurredAt().isBefore(from) && r.occurredAt().isBefore(to));
        assertFilter(Map.of("path", marker, "from", from.toString()), r -> !r.occurredAt().isBefore(from));
        assertFilter(Map.of("path", marker, "to", to.toString()), r -> r.occurredAt().isBefore(to));

        assertFilter(Map.of("path", marker, "status", "5xx", "method", "GET", "keyId", String.valueOf(keyBase + 2)),
                r -> r.status() >= 500 && r.status() <= 599 && r.method().equals("GET")
                        && Long.valueOf(keyBase + 2).equals(r.keyId()));
        // The API's answer is the stored row, not only its id.
        Response single = logs(Map.of("requestId", one.requestId(), "limit", "1"));
        single.then().body("data[0].method", equalTo(one.method())).body("data[0].path", equalTo(one.path()))
                .body("data[0].status", equalTo(one.status()))
                .body("data[0].instance", equalTo("lq-test"));
        assertEquals(one.occurredAt(), Instant.parse(single.jsonPath().getString("data[0].occurredAt")));
    }

    @Test
    void keysetPagesCoverEveryRowOnceAndRowsArrivingMeanwhileDoNotShiftThem() {
        List<Long> expected = expectedIds(r -> true);
        List<Long> seen = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Map<String, String> params = new HashMap<>(Map.of("path", marker, "limit", "5"));
            if (cursor != null) {
                params.put("cursor", cursor);
            }
            Response page = logs(params);
            List<Long> ids = page.jsonPath().getList("data.id", Long.class);
            page.jsonPath().getList("data.occurredAt", String.class).forEach(t -> times.add(Instant.parse(t)));
            seen.addAll(ids);
            cursor = page.jsonPath().getString("meta.pagination.nextCursor");
            assertEquals(5, page.jsonPath().getInt("meta.pagination.limit"));
            assertEquals(cursor != null, page.jsonPath().getBoolean("meta.pagination.hasMore"));
            assertTrue(cursor == null ? ids.size() <= 5 : ids.size() == 5, "page size " + ids.size());
            if (pages == 0) {
                // Newer rows arrive after the first page (one of them at the very instant of the page's last row,
                // with a higher id): an offset-paged list would now repeat rows on the next pages.
                Instant lastOfPage = times.get(times.size() - 1);
                insert(lastOfPage, "lq-" + run + "-tie", "GET", marker + "late/tie", 200, null);
                for (int i = 0; i < 3; i++) {
                    insert(Instant.now().truncatedTo(ChronoUnit.MICROS), "lq-" + run + "-late-" + i, "GET",
                            marker + "late/" + i, 200, null);
                }
            }
            pages++;
        } while (cursor != null && pages < 20);

        assertEquals(expected, seen, "pages, in order");
        assertEquals(seen.size(), new HashSet<>(seen).size(), "no row twice");
        for (int i = 1; i < seen.size(); i++) {
            int byTime = times.get(i - 1).compareTo(times.get(i));
            assertTrue(byTime > 0 || (byTime == 0 && seen.get(i - 1) > seen.get(i)),
                    "strictly descending by (occurredAt, id) at " + i);
        }
        assertEquals((expected.size() + 4) / 5, pages);

        // A fresh look from the top sees the rows that arrived meanwhile, each in its place.
        assertFilter(Map.of("path", marker), r -> true);
    }

    @Test
    void badParametersAreInvalidParameterNamingTheParameter() {
        assertInvalid(Map.of("status", "6xx"), "status");
        assertInvalid(Map.of("status", "600"), "status");
        assertInvalid(Map.of("status", "abc"), "status");
        assertInvalid(Map.of("limit", "0"), "limit");
        assertInvalid(Map.of("limit", "201"), "limit");
        assertInvalid(Map.of("from", "2026-01-02T00:00:00Z", "to", "2026-01-01T00:00:00Z"), "from");
        assertInvalid(Map.of("from", "2026-01-01T00:00:00Z", "to", "2026-01-01T00:00:00Z"), "from");
        assertInvalid(Map.of("from", "yesterday"), "from");
        assertInvalid(Map.of("cursor", "not-a-cursor"), "cursor");
        assertInvalid(Map.of("cursor", "%%%"), "cursor");
        assertInvalid(Map.of("requestId", "has spaces"), "requestId");
        assertInvalid(Map.of("requestId", "x".repeat(65)), "requestId");
        assertInvalid(Map.of("path", "no-slash"), "path");
        assertInvalid(Map.of("method", "G3T"), "method");
        // The limits themselves are accepted.
        logs(Map.of("path", marker, "limit", "1"));
        logs(Map.of("path", marker, "limit", "200"));
    }

    private void assertFilter(Map<String, String> params, Predicate<Logged> matches) {
        Map<String, String> withLimit = new HashMap<>(params);
        withLimit.put("limit", "200");
        Response response = logs(withLimit);
        List<Long> expected = expectedIds(matches);
        assertEquals(expected, response.jsonPath().getList("data.id", Long.class), "filter " + params);
        assertThat(response.jsonPath().getString("meta.pagination.nextCursor"), nullValue());
    }

    private List<Long> expectedIds(Predicate<Logged> matches) {
        return rows.stream().filter(matches).sorted(NEWEST_FIRST).map(Logged::id).toList();
    }

    private Response logs(Map<String, String> params) {
        Response response = Accounts.as(token).queryParams(params).get(LOGS);
        response.then().log().ifValidationFails().statusCode(200);
        return response;
    }

    private void assertInvalid(Map<String, String> params, String field) {
        Accounts.as(token).queryParams(params).get(LOGS).then().log().ifValidationFails()
                .statusCode(400)
                .body("error.code", equalTo("INVALID_PARAMETER"))
                .body("error.message", not(emptyOrNullString()))
                .body("error.details." + field, hasSize(1))
                .body("meta.requestId", not(emptyOrNullString()));
    }

    private void insert(Instant at, String requestId, String method, String path, int status, Long keyId) {
        OffsetDateTime time = OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
        long id = RequestLogDb.query(pool, "insert into request_logs (occurred_at, request_id, method, route, path,"
                + " status, latency_ms, key_id, instance) values ($1, $2, $3, '/lq/{id}', $4, $5, 1.5, $6, 'lq-test')"
                + " returning id", time, requestId, method, path, (short) status, keyId).get(0).getLong(0);
        rows.add(new Logged(id, at, requestId, method, path, status, keyId));
    }
}
