package dev.scalableapi.balancer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The shared edge behaviour from common/ works in this service before its own features land. */
@QuarkusTest
class ServiceSkeletonTest {

    @Test
    void healthAndMetricsAnswer() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void unknownRouteAnswersTheErrorEnvelopeWithTheRequestId() {
        // Under /lb/: every other path is proxied to the api replicas (a 503 here, with no backend up).
        given().header("X-Request-ID", "skeleton-1").get("/lb/nothing-here")
                .then().statusCode(404)
                .header("X-Request-ID", "skeleton-1")
                .body("error.code", equalTo("NOT_FOUND"))
                .body("meta.requestId", equalTo("skeleton-1"));
    }

    @Test
    void insaneRequestIdIsReplaced() {
        given().header("X-Request-ID", "bad id with spaces").get("/q/health/live")
                .then().header("X-Request-ID", matchesPattern("[0-9a-f-]{36}"));
    }
}
