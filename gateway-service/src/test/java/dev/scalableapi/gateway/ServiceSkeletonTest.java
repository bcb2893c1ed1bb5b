package dev.scalableapi.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;
import dev.scalableapi.testsupport.Management;
import dev.scalableapi.gateway.support.EchoUpstreamResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shared edge behaviour from common/ works in this service. Readiness needs an upstream that answers, so a
 * test one is started (rather than depending on whatever listens on the default balancer port).
 */
@QuarkusTest
@TestProfile(ServiceSkeletonTest.WithUpstream.class)
class ServiceSkeletonTest {

    public static class WithUpstream implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(EchoUpstreamResource.class));
        }
    }

    @Test
    void healthAndMetricsAnswer() {
        Management.given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        Management.given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'postgresql' }.data.reachable", equalTo(true));
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
        // outside /api/ (which is proxied): answered by the gateway itself
        given().header("X-Request-ID", "skeleton-1").get("/v1/nothing-here")
                .then().statusCode(404)
                .header("X-Request-ID", "skeleton-1")
                .body("error.code", equalTo("NOT_FOUND"))
                .body("meta.requestId", equalTo("skeleton-1"));
    }

    @Test
    void insaneRequestIdIsReplaced() {
        given().header("X-Request-ID", "bad id with spaces").get("/v1/nothing-here")
                .then().header("X-Request-ID", matchesPattern("[0-9a-f-]{36}"));
    }
}
