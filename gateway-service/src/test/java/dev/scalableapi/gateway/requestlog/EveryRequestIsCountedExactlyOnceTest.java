package dev.scalableapi.gateway.requestlog;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.gateway.support.TestKeys;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A thousand requests of one key, sent eight at a time, become exactly a thousand rows (multi-row batches lose and
 * repeat none), and the key's hourly usage and last use count each of them exactly once.
 */
@QuarkusTest
class EveryRequestIsCountedExactlyOnceTest {

    static final int REQUESTS = 1_000;

    @Inject
    Pool pool;

    @TestHTTPResource("/")
    URI base;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void thousandRequestsAreAThousandRowsAndExactUsage() throws InterruptedException {
        long key = TestKeys.active(pool, "free", "read").keyId();
        OffsetDateTime before = OffsetDateTime.now().minusSeconds(1);

        ProbeTraffic.send(base, REQUESTS, "once-" + run + "-",
                i -> "probe/items/" + i + "?key=" + key + "&user=1&status=" + status(i),
                EveryRequestIsCountedExactlyOnceTest::status);

        long rateLimited = 0;
        long errors = 0;
        for (int i = 0; i < REQUESTS; i++) {
            rateLimited += status(i) == 429 ? 1 : 0;
            errors += status(i) >= 500 ? 1 : 0;
        }
        List<Long> expected = List.of((long) REQUESTS, rateLimited, errors);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> RequestLogDb.usage(pool, key), equalTo(expected));
        Row rows = RequestLogDb.query(pool, "select count(*), count(distinct request_id) from request_logs"
                + " where request_id like $1", "once-" + run + "-%").get(0);
        assertThat(List.of(rows.getLong(0), rows.getLong(1)), equalTo(List.of((long) REQUESTS, (long) REQUESTS)));
        assertThat(RequestLogDb.query(pool, "select count(*) from request_logs where key_id = $1 and status = 429",
                key).get(0).getLong(0), equalTo(rateLimited));
        OffsetDateTime lastUsed = RequestLogDb.query(pool, "select last_used_at from api_keys where id = $1", key)
                .get(0).getOffsetDateTime(0);
        assertTrue(lastUsed != null && lastUsed.isAfter(before) && lastUsed.isBefore(OffsetDateTime.now()),
                "last_used_at " + lastUsed);
    }

    /** 429 every tenth request, 503 every 25th (from the 8th on), 200 otherwise. */
    static int status(int i) {
        return i % 10 == 3 ? 429 : i % 25 == 7 ? 503 : 200;
    }
}
