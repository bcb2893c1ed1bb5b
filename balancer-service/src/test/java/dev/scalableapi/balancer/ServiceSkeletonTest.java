package dev.scalableapi.balancer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import dev.scalableapi.balancer.support.Backends;
import dev.scalableapi.testsupport.Management;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shared edge behaviour from common/ works in this service before its own features land. */
@QuarkusTest
@WithTestResource(Backends.class) // same resources as the behaviour tests: one Quarkus start for all
class ServiceSkeletonTest {

    @Test
    void healthAndMetricsAnswer() {
        Management.given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        Management.given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        Management.given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
        Management.given().get("/q/openapi").then().statusCode(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/q/health", "/q/health/ready", "/q/metrics", "/q/openapi", "/q", "/q/anything"})
    void theTrafficPortAnswersManagementPathsWith404(String path) {
        given().header("X-Request-ID", "skeleton-q").get(path)
                .then().statusCode(404)
                .body("error.code", equalTo("NOT_FOUND"))
                .body("meta.requestId", equalTo("skeleton-q"));
    }

    @Test
    void unknownRouteAnswersTheErrorEnvelopeWithTheRequestId() {
        // Everything outside /lb and /q is proxied to a backend; the balancer's own 404s live under /lb.
        given().header("X-Request-ID", "skeleton-1").get("/lb/nothing-here")
                .then().statusCode(404)
                .header("X-Request-ID", "skeleton-1")
                .body("error.code", equalTo("NOT_FOUND"))
                .body("meta.requestId", equalTo("skeleton-1"));
    }

    @Test
    void insaneRequestIdIsReplaced() {
        given().header("X-Request-ID", "bad id with spaces").get("/lb/status")
                .then().header("X-Request-ID", matchesPattern("[0-9a-f-]{36}"));
    }
}
