package dev.scalableapi.gateway.requestlog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.scalableapi.testsupport.Management;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With a tiny queue and a writer that never gets to flush, requests still complete at full speed: records that
 * do not fit are dropped and counted, nothing waits for the database.
 */
@QuarkusTest
@TestProfile(FullQueueDropsInsteadOfBlockingTest.PausedWriter.class)
class FullQueueDropsInsteadOfBlockingTest {

    static final int CAPACITY = 3;
    static final int REQUESTS = 60;

    /** Queue of 3; a flush would need 1000 waiting records or an hour to pass: the writer is effectively paused. */
    public static class PausedWriter implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "gateway.requestlog.capacity", String.valueOf(CAPACITY),
                    "gateway.requestlog.batch-size", "1000",
                    "gateway.requestlog.flush-interval", "1h");
        }
    }

    @Inject
    MeterRegistry registry;

    @Test
    void requestsCompleteQuicklyWhileOverflowingRecordsAreCounted() {
        double droppedBefore = dropped();

        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (int i = 0; i < REQUESTS; i++) {
                given().header("X-Request-ID", "overflow-" + i).get("/nope/" + i).then().statusCode(404);
            }
        });

        // End handlers run right after the response is sent, so the last few may trail the client by a moment.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> dropped() - droppedBefore >= REQUESTS - CAPACITY);
        assertThat(dropped() - droppedBefore, greaterThanOrEqualTo((double) (REQUESTS - CAPACITY)));
        assertThat(registry.get(RequestLogMetrics.QUEUE_DEPTH).gauge().value(), equalTo((double) CAPACITY));

        Management.given().get("/q/metrics").then().statusCode(200)
                .body(containsString("gateway_requestlog_dropped_total{reason=\"queue_full\"}"))
                .body(containsString("gateway_requestlog_queue_depth " + CAPACITY));
    }

    private double dropped() {
        return registry.get(RequestLogMetrics.DROPPED).tag("reason", "queue_full").counter().count();
    }
}
