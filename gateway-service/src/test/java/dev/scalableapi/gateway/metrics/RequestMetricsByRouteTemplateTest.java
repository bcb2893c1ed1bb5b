package dev.scalableapi.gateway.metrics;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.gateway.support.Accounts;
import dev.scalableapi.gateway.support.Metrics;
import dev.scalableapi.gateway.support.Metrics.Sample;
import dev.scalableapi.gateway.support.TestKeys;
import dev.scalableapi.gateway.support.WithEchoUpstream;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code http_server_requests_seconds} as Prometheus scrapes it: proxied requests count under api-service's route
 * template (one series per route and status, whatever the ids), every path no template knows under one
 * {@code uri="UNKNOWN"}, and the gateway's own REST routes under their own templates.
 */
@QuarkusTest
@TestProfile(WithEchoUpstream.class)
class RequestMetricsByRouteTemplateTest {

    private static final String REQUESTS = "http_server_requests_seconds_count";
    private static final String RESOURCE = "/api/v1/resources/{id}";
    private static final String UNKNOWN = "UNKNOWN";
    private static final int IDS = 500;

    @Inject
    Pool pool;

    private String key;

    @BeforeEach
    void issueKey() {
        key = TestKeys.active(pool, "enterprise", "read").key();
    }

    @Test
    void fiveHundredIdsAddUpInTheTemplatesOneSeries() {
        long firstId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2);
        List<Sample> before = requests();

        for (int i = 0; i < IDS; i++) {
            given().header("X-API-Key", key).get("/api/v1/resources/" + (firstId + i)).then().statusCode(200);
        }

        List<Sample> after = awaitCount(RESOURCE, count(before, RESOURCE) + IDS);
        Set<Map<String, String>> added = added(before, after);
        assertTrue(Set.of(Map.of("method", "GET", "outcome", "SUCCESS", "status", "200", "uri", RESOURCE))
                .containsAll(added), "only the template's 200 series may be new: " + added);
        assertEquals(Set.of(), uris(after).stream()
                .filter(uri -> uri.startsWith("/api/v1/resources/") && !uri.equals(RESOURCE))
                .collect(Collectors.toSet()), "no series of its own for an id");
    }

    @Test
    void pathsNoTemplateKnowsShareOneBucket() {
        // proxied (the echo upstream answers 200) and not (the gateway's own 404)
        List<String> prefixes = List.of("/api/v1/things/", "/api/v2/resources/", "/api/v1/resources/7/history/",
                "/nothing-here/");
        int perPrefix = 50;
        List<Sample> before = requests();

        for (int i = 0; i < perPrefix; i++) {
            for (String prefix : prefixes) {
                given().header("X-API-Key", key).get(prefix + i);
            }
        }
        // an admin route probed without a credential is refused before routing, so it is unmatched too
        for (int i = 0; i < perPrefix; i++) {
            given().get("/api/v1/admin/keys/" + i).then().statusCode(401);
        }

        int sent = prefixes.size() * perPrefix + perPrefix;
        List<Sample> after = awaitCount(UNKNOWN, count(before, UNKNOWN) + sent);
        Set<Map<String, String>> added = added(before, after);
        assertTrue(added.size() <= 3, "one series per status (200, 401, 404) at most: " + added);
        assertEquals(Set.of(UNKNOWN), added.stream().map(labels -> labels.get("uri")).collect(Collectors.toSet()),
                "every new series is the bucket's: " + added);
    }

    @Test
    void theGatewaysOwnRoutesKeepTheirTemplates() {
        String keyById = "/api/v1/admin/keys/{id}";
        String me = "/api/v1/me";
        String token = Accounts.rootToken();
        long firstId = ThreadLocalRandom.current().nextLong(1_000_000_000L, Long.MAX_VALUE / 2);
        List<Sample> before = requests();

        for (int i = 0; i < 20; i++) {
            Accounts.as(token).get("/api/v1/admin/keys/" + (firstId + i)).then().statusCode(404);
        }
        Accounts.as(token).get(me).then().statusCode(200);

        List<Sample> after = awaitCount(keyById, count(before, keyById) + 20);
        assertEquals(count(before, me) + 1, count(after, me));
    }

    private static List<Sample> requests() {
        return Metrics.samples(Metrics.scrape(), REQUESTS);
    }

    /** The samples once the count for {@code uri} reached {@code expected} (a response is counted as it ends). */
    private static List<Sample> awaitCount(String uri, double expected) {
        List<List<Sample>> last = new ArrayList<>(List.of(List.of()));
        try {
            await("count of uri=" + uri).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        last.set(0, requests());
                        return count(last.get(0), uri) >= expected;
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("expected " + expected + " under uri=" + uri + "; counts by uri: "
                    + countsByUri(last.get(0)), e);
        }
        assertEquals(expected, count(last.get(0), uri), "requests counted under uri=" + uri);
        return last.get(0);
    }

    private static double count(List<Sample> samples, String uri) {
        return samples.stream().filter(s -> uri.equals(s.label("uri"))).mapToDouble(Sample::value).sum();
    }

    private static Map<String, Double> countsByUri(List<Sample> samples) {
        return samples.stream().collect(Collectors.groupingBy(s -> s.label("uri"), TreeMap::new,
                Collectors.summingDouble(Sample::value)));
    }

    private static Set<String> uris(List<Sample> samples) {
        return samples.stream().map(s -> s.label("uri")).collect(Collectors.toSet());
    }

    /** Label sets present after and not before. */
    private static Set<Map<String, String>> added(List<Sample> before, List<Sample> after) {
        Set<Map<String, String>> known = before.stream().map(Sample::labels).collect(Collectors.toSet());
        return after.stream().map(Sample::labels).filter(labels -> !known.contains(labels))
                .collect(Collectors.toSet());
    }
}
