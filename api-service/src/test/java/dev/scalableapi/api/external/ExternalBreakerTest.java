package dev.scalableapi.api.external;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scalableapi.testsupport.Management;
import dev.scalableapi.api.support.Api;
import dev.scalableapi.api.support.Callers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(ExternalBreakerTest.FastBreaker.class)
class ExternalBreakerTest {

    /**
     * The breaker's open delay shortened to 3 s, so closing again is observable quickly; not shorter, since on a
     * loaded machine the checks made while it is open must all fit in it (at 500 ms a half-open trial call came
     * first once in CI).
     */
    public static class FastBreaker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.fault-tolerance.\"dev.scalableapi.api.external.ExternalService/fetch\".circuit-breaker.delay",
                    "3000");
        }
    }

    private static final String BREAKERS = "/api/v1/internal/circuit-breakers";
    private static final String NAME = ExternalService.BREAKER;
    private static final Pattern STATE_GAUGE = Pattern.compile(
            "(?m)^api_circuit_breaker_state\\{[^}]*name=\"" + Pattern.quote(NAME) + "\"[^}]*\\} ([0-9.eE+-]+)$");

    @Inject
    FlakyDownstream downstream;

    @Inject
    CircuitBreakerMaintenance maintenance;

    private double originalFailureRate;

    @BeforeEach
    void startClosed() {
        originalFailureRate = downstream.failureRate();
        maintenance.reset(NAME);
    }

    @AfterEach
    void restore() {
        downstream.setFailureRate(originalFailureRate);
        maintenance.reset(NAME);
    }

    private static String breakerState() {
        return given().filter(Callers.admin(1)).when().get(BREAKERS)
                .then().statusCode(200)
                .extract().jsonPath().getString("data.find { it.name == '" + NAME + "' }.state");
    }

    private static double stateGauge() {
        String metrics = Management.given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = STATE_GAUGE.matcher(metrics);
        if (!m.find()) {
            throw new AssertionError("no api_circuit_breaker_state for " + NAME);
        }
        return Double.parseDouble(m.group(1));
    }

    private static Response fetch() {
        Response response = given().when().get("/api/v1/external");
        response.then().statusCode(200);
        return response;
    }

    private void openTheBreaker() {
        downstream.setFailureRate(1.0);
        for (int i = 0; i < 5; i++) {
            Response response = fetch();
            assertEquals("true", response.header("X-Fallback"), "call " + i);
            assertEquals(true, response.jsonPath().getBoolean("data.fallback"));
        }
        assertEquals("OPEN", breakerState());
    }

    @Test
    void healthyDownstreamAnswersWithoutFallback() {
        downstream.setFailureRate(0.0);
        fetch().then().header("X-Fallback", "false")
                .body("data.fallback", equalTo(false))
                .body("data.reply.source", equalTo("downstream"));
        assertEquals("CLOSED", breakerState());
        assertEquals(0.0, stateGauge());
    }

    @Test
    void failingDownstreamGetsFallbackAndOpensTheBreaker() {
        assertEquals("CLOSED", breakerState());
        openTheBreaker();
        // While open, the downstream is not even tried.
        fetch().then().header("X-Fallback", "true").body("data.reason", equalTo("circuit open"));
        assertEquals(1.0, stateGauge());
    }

    @Test
    void breakerClosesAgainAfterTheDelayOnceTheDownstreamRecovers() {
        openTheBreaker();
        downstream.setFailureRate(0.0);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            fetch().then().header("X-Fallback", "false");
            assertEquals("CLOSED", breakerState());
        });
        assertEquals(0.0, stateGauge());
        given().filter(Callers.admin(1)).when().get(BREAKERS).then().statusCode(200)
                .body("data.find { it.name == '" + NAME + "' }.transitions", org.hamcrest.Matchers.greaterThanOrEqualTo(2));
    }

    @Test
    void resetEndpointClosesAnOpenBreaker() {
        openTheBreaker();
        downstream.setFailureRate(0.0);
        given().filter(Callers.admin(1)).when().post(BREAKERS + "/" + NAME + "/reset")
                .then().statusCode(200)
                .body("data.name", equalTo(NAME))
                .body("data.state", equalTo("CLOSED"));
        assertEquals("CLOSED", breakerState());
        fetch().then().header("X-Fallback", "false");
        Api.assertError(given().filter(Callers.admin(1)).when().post(BREAKERS + "/no-such-breaker/reset").then(),
                404, "NOT_FOUND");
    }

    @Test
    void internalEndpointsNeedAnAdmin() {
        Api.assertError(given().when().get(BREAKERS).then(), 401, "AUTH_REQUIRED");
        Api.assertError(given().filter(Callers.writer(5)).when().get(BREAKERS).then(), 403, "FORBIDDEN");
        Api.assertError(given().filter(Callers.reader(5)).when().get(BREAKERS).then(), 403, "FORBIDDEN");
        Api.assertError(given().filter(Callers.writer(5)).when().post(BREAKERS + "/" + NAME + "/reset").then(),
                403, "FORBIDDEN");
        Api.assertError(given().when().post(BREAKERS + "/" + NAME + "/reset").then(), 401, "AUTH_REQUIRED");
        Api.assertError(given().filter(Callers.writer(5)).when().get("/api/v1/internal/cache").then(),
                403, "FORBIDDEN");
    }
}
