package dev.scalableapi.gateway.proxy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.gateway.support.EchoUpstreamResource;
import dev.scalableapi.gateway.support.TestKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two balancers, the first of which drops every connection it gets a request on without answering (as a balancer
 * being killed does). Successive requests start at successive balancers, so half of them meet it first: a GET goes
 * on to the other balancer and is answered, every time; a POST, which the dropped balancer may have acted on, is not
 * sent again and gets 502 {@code UPSTREAM_ERROR}.
 */
@QuarkusTest
@TestProfile(IdempotentRequestsOutliveABalancerTest.TwoBalancers.class)
class IdempotentRequestsOutliveABalancerTest {

    public static class TwoBalancers implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(EchoUpstreamResource.class, Map.of("layout", "live,live")));
        }
    }

    private static final String DROPPED_AT_THE_FIRST = "/api/v1/things?upstream=drop-at&at=live-0";

    @Inject
    Pool pool;

    @Test
    void aGetWhoseBalancerWentAwayIsAnsweredByTheOther() {
        String client = TestKeys.uniqueIp();
        for (int i = 0; i < 20; i++) {
            given().header("X-Forwarded-For", client).get(DROPPED_AT_THE_FIRST)
                    .then().statusCode(200).body("server", equalTo("live-1"));
        }
    }

    @Test
    void aPostWhoseBalancerWentAwayIsNotSentAgain() {
        String key = TestKeys.active(pool, "pro", "read,write").key();
        Map<Integer, Integer> statuses = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            Response response = given().header("X-API-Key", key).contentType("application/json")
                    .body("{\"round\":" + i + "}").post(DROPPED_AT_THE_FIRST);
            statuses.merge(response.statusCode(), 1, Integer::sum);
            if (response.statusCode() == 200) {
                assertEquals("live-1", response.jsonPath().getString("server"));
            } else {
                assertEquals(502, response.statusCode(), response.asString());
                assertEquals("UPSTREAM_ERROR", response.jsonPath().getString("error.code"));
            }
        }
        assertTrue(statuses.getOrDefault(502, 0) > 0, statuses.toString());
    }
}
