package dev.scalableapi.gateway.requestlog;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Text PostgreSQL cannot store (a NUL) or cannot index (a path too large for a btree entry) never costs the rest
 * of its batch: the request log stores such values made storable, and a row PostgreSQL refuses anyway is dropped
 * alone (and counted) while its batch and its usage are written.
 */
@QuarkusTest
class UnstorableTextDoesNotSinkItsBatchTest {

    @Inject
    RequestLogWriter writer;

    @Inject
    Pool pool;

    @Inject
    MeterRegistry registry;

    @TestHTTPResource("/")
    URL base;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void aPathTooLargeToIndexIsStoredCutBesideTheRequestsSentWithIt() throws IOException {
        // A raw NUL never gets this far (Vert.x answers 400 before any filter), but raw bytes 0x80-0xFF do: each
        // becomes a 2-byte UTF-8 character, and 2 048 of them overflow the path index's 2 704-byte btree entry.
        String prefix = "/nope/" + run + "/";
        String letters = incompressible(2100);
        for (int i = 0; i < 10; i++) {
            if (i == 5) {
                byte[] target = (prefix + letters).getBytes(StandardCharsets.ISO_8859_1);
                assertThat(send(target, "big-" + run + "-raw"), startsWith("HTTP/1.1 404"));
            }
            byte[] target = (prefix + i).getBytes(StandardCharsets.US_ASCII);
            assertThat(send(target, "big-" + run + "-" + i), startsWith("HTTP/1.1 404"));
        }

        List<Row> rows = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> RequestLogDb.query(pool, "select request_id, path from request_logs"
                        + " where request_id like $1", "big-" + run + "-%"), r -> r.size() == 11);
        Row big = rows.stream().filter(r -> r.getString("request_id").endsWith("-raw")).findFirst().orElseThrow();
        // Cut to the column's 2 048 characters counted as UTF-8 bytes: 2 bytes per letter after the ASCII prefix.
        String stored = prefix + letters.substring(0, (RequestLogRecord.PATH_MAX - prefix.length()) / 2);
        assertThat(big.getString("path"), equalTo(stored));
    }

    @Test
    void aRowPostgresqlRefusesIsDroppedAloneWhileItsBatchAndItsUsageAreWritten() {
        long key = ThreadLocalRandom.current().nextLong(3_000_000, 4_000_000);
        Instant at = Instant.now();
        List<RequestLogRecord> batch = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            batch.add(record("ok-" + run + "-" + i, at, "/api/v1/resources/" + i, key, i % 10 == 0 ? 503 : 200));
        }
        // Built by hand, past the filter's sanitising: what PostgreSQL itself refuses.
        batch.add(7, record("bad-" + run + "-nul", at, "/api/v1/resources/a\0b", key, 200));
        batch.add(31, record("bad-" + run + "-big", at, "/" + incompressible(2047), key, 429));
        double refusedBefore = dropped("invalid_row");

        writer.write(batch).await().atMost(Duration.ofSeconds(30));

        assertThat(rows("ok-" + run + "-%"), equalTo(40L));
        assertThat(rows("bad-" + run + "-%"), equalTo(0L));
        Row usage = RequestLogDb.query(pool, "select sum(requests), sum(rate_limited), sum(errors)"
                + " from key_usage_hourly where key_id = $1", key).get(0);
        assertThat(List.of(usage.getLong(0), usage.getLong(1), usage.getLong(2)), equalTo(List.of(42L, 1L, 4L)));
        assertThat(dropped("invalid_row") - refusedBefore, equalTo(2.0));
    }

    /** One request on its own connection, the target's bytes as given (an HTTP client would escape them). */
    private String send(byte[] target, String requestId) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(15_000);
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes("GET ".getBytes(StandardCharsets.US_ASCII));
            request.writeBytes(target);
            request.writeBytes((" HTTP/1.1\r\nHost: localhost\r\nX-Request-ID: " + requestId
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(request.toByteArray());
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            return response.isEmpty() ? "" : response.substring(0, response.indexOf('\r'));
        }
    }

    private long rows(String requestIdPattern) {
        return RequestLogDb.query(pool, "select count(*) from request_logs where request_id like $1", requestIdPattern)
                .get(0).getLong(0);
    }

    private double dropped(String reason) {
        var counter = registry.find(RequestLogMetrics.DROPPED).tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Random Latin-1 letters: 2 UTF-8 bytes each and no repetition for PostgreSQL to compress away. */
    private static String incompressible(int length) {
        Random random = new Random(7);
        StringBuilder letters = new StringBuilder(length);
        while (letters.length() < length) {
            letters.append((char) (0xC0 + random.nextInt(0x40)));
        }
        return letters.toString();
    }

    private static RequestLogRecord record(String requestId, Instant at, String path, long keyId, int status) {
        return new RequestLogRecord(requestId, at, "GET", "/api/v1/resources/{id}", path, status, 2f, keyId, 1L,
                "127.0.0.1", "gateway-test", null, null);
    }
}
