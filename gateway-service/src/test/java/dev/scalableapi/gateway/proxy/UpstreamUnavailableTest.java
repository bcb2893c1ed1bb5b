package dev.scalableapi.gateway.proxy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.scalableapi.testsupport.Management;
import dev.scalableapi.gateway.support.EchoUpstreamResource;
import dev.scalableapi.gateway.support.TestKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With no upstream listening at all (two dead ports) the caller gets 503 UPSTREAM_UNAVAILABLE and when to retry. */
@QuarkusTest
@TestProfile(UpstreamUnavailableTest.NothingListens.class)
class UpstreamUnavailableTest {

    public static class NothingListens implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(EchoUpstreamResource.class, Map.of("layout", "dead,dead")));
        }
    }

    @Test
    void everyUpstreamDownIsA503WithRetryAfter() {
        Response response = given().header("X-Forwarded-For", TestKeys.uniqueIp()).get("/api/v1/things");
        response.then().statusCode(503).header("Retry-After", notNullValue())
                .body("error.code", equalTo("UPSTREAM_UNAVAILABLE"))
                .body("meta.requestId", equalTo(response.header("X-Request-ID")));
    }

    @Test
    void theGatewayIsNotReadyWithoutAnUpstream() {
        Management.given().get("/q/health/ready").then().statusCode(503);
    }
}
