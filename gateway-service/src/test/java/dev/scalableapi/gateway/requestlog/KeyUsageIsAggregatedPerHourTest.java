package dev.scalableapi.gateway.requestlog;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Writing a batch adds its requests, 429s and 5xx per key and hour to key_usage_hourly, across batches, sampled-out
 * requests included.
 */
@QuarkusTest
class KeyUsageIsAggregatedPerHourTest {

    @Inject
    RequestLogWriter writer;

    @Inject
    Pool pool;

    @Test
    void batchesAddUpPerKeyAndHour() {
        long keyA = ThreadLocalRandom.current().nextLong(1_000_000, 2_000_000);
        long keyB = keyA + 1;
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);
        Instant nextHour = hour.plus(1, ChronoUnit.HOURS);

        write(List.of(
                record(keyA, hour.plusSeconds(1), 200),
                record(keyA, hour.plusSeconds(2), 200),
                record(keyA, hour.plusSeconds(3), 429),
                record(keyA, hour.plusSeconds(4), 503),
                record(keyA, hour.plusSeconds(5), 500),
                record(keyB, hour.plusSeconds(6), 200),
                record(keyA, nextHour.plusSeconds(7), 404),
                record(null, hour.plusSeconds(8), 500)));
        // A sampled-out request has no row but counts in its key's usage all the same.
        write(List.of(record(keyA, hour.plusSeconds(9), 429), new SampledOutRequest(keyA, hour.plusSeconds(10), 200)));

        assertThat(usage(keyA), contains(
                List.of(OffsetDateTime.ofInstant(hour, ZoneOffset.UTC), 7L, 2L, 2L),
                List.of(OffsetDateTime.ofInstant(nextHour, ZoneOffset.UTC), 1L, 0L, 0L)));
        assertThat(usage(keyB), contains(List.of(OffsetDateTime.ofInstant(hour, ZoneOffset.UTC), 1L, 0L, 0L)));
        assertThat(RequestLogDb.query(pool, "select count(*) from request_logs where key_id = $1", keyA)
                .get(0).getLong(0), equalTo(7L));
    }

    private void write(List<RequestLogEntry> batch) {
        writer.write(batch).await().atMost(Duration.ofSeconds(15));
    }

    private List<List<Object>> usage(long keyId) {
        List<List<Object>> rows = new ArrayList<>();
        for (Row row : RequestLogDb.query(pool, "select hour, requests, rate_limited, errors from key_usage_hourly"
                + " where key_id = $1 order by hour", keyId)) {
            rows.add(List.of(row.getOffsetDateTime("hour").withOffsetSameInstant(ZoneOffset.UTC),
                    row.getLong("requests"), row.getLong("rate_limited"), row.getLong("errors")));
        }
        return rows;
    }

    private static RequestLogRecord record(Long keyId, Instant at, int status) {
        return new RequestLogRecord("usage-" + at.toEpochMilli(), at, "GET", "/api/v1/resources/{id}",
                "/api/v1/resources/1", status, 1.5f, keyId, keyId == null ? null : 1L, "127.0.0.1",
                "gateway-test", null, null);
    }
}
