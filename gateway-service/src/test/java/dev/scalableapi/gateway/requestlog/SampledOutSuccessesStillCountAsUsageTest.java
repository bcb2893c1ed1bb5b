package dev.scalableapi.gateway.requestlog;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.scalableapi.testsupport.Management;
import dev.scalableapi.gateway.support.TestKeys;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * With {@code sample-rate} 0.0 no successful request is stored, every 4xx and 5xx still is, and per-key usage still
 * counts every request: sampling thins the log, never the usage figures.
 */
@QuarkusTest
@TestProfile(SampledOutSuccessesStillCountAsUsageTest.NoSuccessSampled.class)
class SampledOutSuccessesStillCountAsUsageTest {

    static final int KEYED = 300;
    static final int ANONYMOUS = 60;

    public static class NoSuccessSampled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.requestlog.sample-rate", "0.0");
        }
    }

    @Inject
    Pool pool;

    @Inject
    MeterRegistry registry;

    @TestHTTPResource("/")
    URI base;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void onlyFailuresAreStoredWhileUsageCountsEveryRequest() throws InterruptedException {
        long key = TestKeys.active(pool, "free", "read").keyId();
        double sampledOutBefore = sampledOut();

        ProbeTraffic.send(base, KEYED, "keyed-" + run + "-",
                i -> "probe/items/" + i + "?key=" + key + "&user=1&status=" + status(i),
                SampledOutSuccessesStillCountAsUsageTest::status);
        ProbeTraffic.send(base, ANONYMOUS, "anon-" + run + "-", i -> "probe/items/" + i + "?status=" + status(i),
                SampledOutSuccessesStillCountAsUsageTest::status);

        long rateLimited = 0;
        long errors = 0;
        List<String> failures = new ArrayList<>();
        int successes = 0;
        for (int i = 0; i < KEYED; i++) {
            rateLimited += status(i) == 429 ? 1 : 0;
            errors += status(i) >= 500 ? 1 : 0;
            successes += status(i) < 400 ? 1 : 0;
            if (status(i) >= 400) {
                failures.add("keyed-" + run + "-" + i);
            }
        }
        for (int i = 0; i < ANONYMOUS; i++) {
            successes += status(i) < 400 ? 1 : 0;
            if (status(i) >= 400) {
                failures.add("anon-" + run + "-" + i);
            }
        }
        List<Long> usage = List.of((long) KEYED, rateLimited, errors);
        // Usage and rows travel in the same queue and batches: once every request's usage is in, so is every row.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> RequestLogDb.usage(pool, key), equalTo(usage));
        List<String> stored = new ArrayList<>();
        RequestLogDb.query(pool, "select request_id from request_logs where request_id like $1 or request_id like $2",
                "keyed-" + run + "-%", "anon-" + run + "-%").forEach(row -> stored.add(row.getString(0)));
        assertThat(stored.stream().sorted().toList(), equalTo(failures.stream().sorted().toList()));

        int expectedSampledOut = successes;
        await().atMost(Duration.ofSeconds(10)).until(() -> sampledOut() - sampledOutBefore == expectedSampledOut);
        Management.given().get("/q/metrics").then().statusCode(200)
                .body(containsString("gateway_requestlog_sampled_out_total"));
    }

    /** 200 mostly; 404, 429 and 503 now and then. */
    static int status(int i) {
        return switch (i % 12) {
            case 1 -> 404;
            case 5, 9 -> 429;
            case 7 -> 503;
            default -> 200;
        };
    }

    private double sampledOut() {
        return registry.get(RequestLogMetrics.SAMPLED_OUT).counter().count();
    }
}
