package dev.scalableapi.api.resources;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.api.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * A cursor walk (first page by number, then each page after the previous page's {@code nextCursor}) returns every
 * matching row exactly once, in the sort's order, for every allowed sort and every filter combination — also
 * across runs of equal values, which only the id tie-breaker orders. Numbered pages return the same rows.
 */
@QuarkusTest
class KeysetPagingTest {

    private static final Duration DB = Duration.ofSeconds(30);
    private static final List<String> SORTS = List.of("id", "-id", "createdAt", "-createdAt", "name", "-name");

    @Inject
    Pool pool;

    /** The rows this test inserted, as the API shows them: id, owner, type, name, createdAt. */
    private record Seeded(long id, long owner, String type, String name, OffsetDateTime createdAt) {
    }

    private final List<Seeded> seeded = new ArrayList<>();
    private String type;
    private String otherType;
    private long owner;

    @BeforeEach
    void seed() {
        type = Api.uniqueType("keyset");
        otherType = Api.uniqueType("keyset-other");
        owner = 1_000_000 + ThreadLocalRandom.current().nextInt(1_000_000_000);
        // 61 rows: 7 distinct names and 5 distinct creation times, so every page boundary falls inside ties; two
        // owners and two types, so each filter leaves out some rows.
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery("""
                insert into resources (name, type, owner_id, created_at, updated_at)
                select 'n' || (n % 7), case when n % 4 = 0 then $2 else $1 end, $3 + n % 2,
                       timestamptz '2026-01-01 00:00:00.123456+00' + (n % 5) * interval '1 second', now()
                from generate_series(1, 61) as n
                returning id, owner_id, type, name, created_at""")
                .execute(Tuple.of(type, otherType, owner)).await().atMost(DB).forEach(rows::add);
        for (Row row : rows) {
            seeded.add(new Seeded(row.getLong("id"), row.getLong("owner_id"), row.getString("type"),
                    row.getString("name"), row.getOffsetDateTime("created_at")));
        }
    }

    @TestFactory
    Stream<DynamicTest> everyFilteredWalkReturnsEachRowOnceInOrder() {
        Map<String, Map<String, Object>> filters = new LinkedHashMap<>();
        filters.put("type", Map.of("type", type));
        filters.put("owner", Map.of("owner", owner));
        filters.put("type and owner", Map.of("type", type, "owner", owner));
        return filters.entrySet().stream().flatMap(filter -> SORTS.stream().map(sort -> DynamicTest.dynamicTest(
                filter.getKey() + ", sort=" + sort, () -> {
                    List<Long> expected = seeded.stream().filter(row -> matches(row, filter.getValue()))
                            .sorted(order(sort)).map(Seeded::id).toList();
                    assertTrue(expected.size() > 10, "the filter leaves enough rows for several pages");
                    assertEquals(expected, walk(filter.getValue(), sort, 4), "by cursor");
                    assertEquals(expected, numberedPages(filter.getValue(), sort, 4), "by page number");
                })));
    }

    /** Without a filter the walk covers the whole table, whatever other tests left in it: compared with SQL. */
    @TestFactory
    Stream<DynamicTest> unfilteredWalkReturnsEachRowOnceInOrder() {
        return SORTS.stream().map(sort -> DynamicTest.dynamicTest("sort=" + sort, () -> {
            ResourceSort order = ResourceSort.parse(sort);
            String direction = order.direction();
            List<Long> expected = new ArrayList<>();
            pool.query("select id from resources order by " + order.field().column + " " + direction + ", id "
                    + direction).execute().await().atMost(DB).forEach(row -> expected.add(row.getLong(0)));
            List<Long> walked = walk(Map.of(), sort, 100);
            assertEquals(expected.size(), new HashSet<>(walked).size(), "no row twice");
            assertEquals(expected, walked);
        }));
    }

    private static List<Long> walk(Map<String, Object> filter, String sort, int limit) {
        List<Long> ids = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            RequestSpecification request = given().queryParams(filter).queryParam("sort", sort)
                    .queryParam("limit", limit);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.when().get(Api.RESOURCES).then().statusCode(200).extract().jsonPath();
            List<Long> pageIds = page.getList("data.id", Long.class);
            ids.addAll(pageIds);
            cursor = page.getString("meta.pagination.nextCursor");
            assertEquals(cursor != null, page.getBoolean("meta.pagination.hasMore"));
            if (cursor != null) {
                assertEquals(limit, pageIds.size(), "only the last page is short");
            }
            assertTrue(++pages < 10_000, "the walk ends");
        } while (cursor != null);
        return ids;
    }

    /** The same list read page by page with {@code page} (offset paging). */
    private static List<Long> numberedPages(Map<String, Object> filter, String sort, int limit) {
        List<Long> ids = new ArrayList<>();
        boolean more = true;
        for (int page = 1; more; page++) {
            JsonPath body = given().queryParams(filter).queryParam("sort", sort).queryParam("limit", limit)
                    .queryParam("page", page).when().get(Api.RESOURCES).then().statusCode(200).extract().jsonPath();
            ids.addAll(body.getList("data.id", Long.class));
            more = body.getBoolean("meta.pagination.hasMore");
        }
        return ids;
    }

    private static boolean matches(Seeded row, Map<String, Object> filter) {
        return (!filter.containsKey("type") || filter.get("type").equals(row.type()))
                && (!filter.containsKey("owner") || filter.get("owner").equals(row.owner()));
    }

    /** The names are 'n0'..'n6': every collation orders them as Java does. */
    private static Comparator<Seeded> order(String sort) {
        boolean descending = sort.startsWith("-");
        Comparator<Seeded> byField = switch (sort.replace("-", "")) {
            case "id" -> Comparator.comparingLong(Seeded::id);
            case "createdAt" -> Comparator.comparing(Seeded::createdAt).thenComparingLong(Seeded::id);
            case "name" -> Comparator.comparing(Seeded::name).thenComparingLong(Seeded::id);
            default -> throw new IllegalArgumentException(sort);
        };
        return descending ? byField.reversed() : byField;
    }
}
