package dev.scalableapi.balancer.metrics;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.balancer.support.Backends;
import dev.scalableapi.balancer.support.Lb;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code http_server_requests_seconds} as Prometheus scrapes it: proxied requests count under api-service's route
 * template (one series per route and status, whatever the ids or names), every path no template knows under one
 * {@code uri="UNKNOWN"}, and the balancer's own REST route under its template.
 */
@QuarkusTest
@WithTestResource(Backends.class)
class RequestMetricsByRouteTemplateTest {

    private static final String REQUESTS = "http_server_requests_seconds_count";
    private static final String RESOURCE = "/api/v1/resources/{id}";
    private static final String BREAKER_RESET = "/api/v1/internal/circuit-breakers/{name}/reset";
    private static final String UNKNOWN = "UNKNOWN";
    private static final int IDS = 500;

    @BeforeEach
    void cleanSlate() {
        Lb.awaitCleanSlate();
    }

    @Test
    void fiveHundredIdsAddUpInTheTemplatesSeries() {
        long firstId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2);
        String before = Lb.metrics();

        for (int i = 0; i < IDS; i++) {
            given().get("/api/v1/resources/" + (firstId + i)).then().statusCode(200);
        }
        // the test backends do not serve it (404): the template names the request all the same
        for (int i = 0; i < 20; i++) {
            given().post("/api/v1/internal/circuit-breakers/breaker-" + i + "/reset").then().statusCode(404);
        }

        String after = awaitCount(BREAKER_RESET, count(before, BREAKER_RESET) + 20);
        assertEquals(count(before, RESOURCE) + IDS, count(after, RESOURCE), "requests counted under " + RESOURCE);
        Set<String> added = added(before, after);
        assertTrue(Set.of(series("GET", "SUCCESS", 200, RESOURCE), series("POST", "CLIENT_ERROR", 404,
                BREAKER_RESET)).containsAll(added), "one series per template and status at most: " + added);
        assertTrue(Lb.series(after, REQUESTS).keySet().stream()
                .noneMatch(labels -> labels.contains("uri=\"/api/v1/resources/") && !labels.contains(RESOURCE)),
                "no series of its own for an id");
    }

    @Test
    void pathsNoTemplateKnowsShareOneBucket() {
        // proxied (a backend answers 200 below /api/v1/resources/, 404 elsewhere) and the balancer's own 404
        List<String> prefixes = List.of("/api/v1/resources/7/history/", "/api/v1/things/", "/api/v2/resources/",
                "/lb/nothing-here/");
        int perPrefix = 50;
        String before = Lb.metrics();

        for (int i = 0; i < perPrefix; i++) {
            for (String prefix : prefixes) {
                given().get(prefix + i);
            }
        }

        String after = awaitCount(UNKNOWN, count(before, UNKNOWN) + prefixes.size() * perPrefix);
        Set<String> added = added(before, after);
        assertTrue(Set.of(series("GET", "SUCCESS", 200, UNKNOWN), series("GET", "CLIENT_ERROR", 404, UNKNOWN))
                .containsAll(added), "one series per status for the bucket at most: " + added);
    }

    @Test
    void theBalancersOwnRouteKeepsItsTemplate() {
        String before = Lb.metrics();

        for (int i = 0; i < 5; i++) {
            given().get("/lb/status").then().statusCode(200);
        }

        awaitCount("/lb/status", count(before, "/lb/status") + 5);
    }

    private static String series(String method, String outcome, int status, String uri) {
        return "method=\"" + method + "\",outcome=\"" + outcome + "\",status=\"" + status + "\",uri=\"" + uri + "\"";
    }

    /** The exposition once the count for {@code uri} reached {@code expected} (a response is counted as it ends). */
    private static String awaitCount(String uri, double expected) {
        String[] last = {""};
        try {
            await("count of uri=" + uri).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        last[0] = Lb.metrics();
                        return count(last[0], uri) >= expected;
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("expected " + expected + " under uri=" + uri + "; series: "
                    + Lb.series(last[0], REQUESTS), e);
        }
        assertEquals(expected, count(last[0], uri), "requests counted under uri=" + uri);
        return last[0];
    }

    private static double count(String metrics, String uri) {
        return Lb.metric(metrics, REQUESTS, "uri=\"" + uri + "\"");
    }

    /** Label sets present after and not before. */
    private static Set<String> added(String before, String after) {
        Set<String> added = new HashSet<>(Lb.series(after, REQUESTS).keySet());
        added.removeAll(Lb.series(before, REQUESTS).keySet());
        return added;
    }
}
