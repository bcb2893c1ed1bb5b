package dev.scalableapi.gateway.admin;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import dev.scalableapi.gateway.support.Accounts;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Admin queries with absurd numbers answer 400 {@code INVALID_PARAMETER} naming the parameter, never 404 or 500;
 * and a failed call to the balancer does not tell the client internal hosts and ports (issue 14, point 12).
 */
@QuarkusTest
@TestProfile(AdminQueriesRefuseAbsurdInputTest.NoBalancer.class)
class AdminQueriesRefuseAbsurdInputTest {

    /** Nothing listens on port 1: every call to the balancer is refused. */
    public static class NoBalancer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.upstream.url", "http://127.0.0.1:1");
        }
    }

    private record Absurd(String path, String parameter, String value) {
    }

    private static final List<String> NUMBERS = List.of("abc", "1.5", "0", "-1", "99999999999", "2147483647",
            "9223372036854775808", "%00");

    @TestFactory
    Stream<DynamicTest> everyNumberParameterOfTheAdminApiRefusesAbsurdValuesWith400() {
        String admin = Accounts.rootToken();
        Map<String, List<String>> parameters = Map.of(
                "/api/v1/admin/keys", List.of("page", "limit", "ownerId"),
                "/api/v1/admin/users", List.of("page", "limit"),
                "/api/v1/admin/logs", List.of("limit", "keyId"),
                "/api/v1/admin/audit", List.of("limit", "actorId"),
                "/api/v1/admin/metrics/history", List.of("minutes"));
        return parameters.entrySet().stream()
                .flatMap(route -> route.getValue().stream().flatMap(parameter -> NUMBERS.stream()
                        .filter(value -> !acceptable(parameter, value))
                        .map(value -> new Absurd(route.getKey(), parameter, value))))
                .map(absurd -> DynamicTest.dynamicTest(absurd.path() + "?" + absurd.parameter() + "=" + absurd.value(),
                        () -> Accounts.as(admin).urlEncodingEnabled(false)
                                .get(absurd.path() + "?" + absurd.parameter() + "=" + absurd.value())
                                .then().statusCode(400).body("error.code", equalTo("INVALID_PARAMETER"))
                                .body("error.details." + absurd.parameter(), notNullValue())
                                .body("meta.requestId", notNullValue())));
    }

    @Test
    void aBalancerThatDoesNotAnswerIs503WithoutItsAddress() {
        Accounts.as(Accounts.rootToken()).post("/api/v1/admin/cache/clear")
                .then().statusCode(503).body("error.code", equalTo("UPSTREAM_UNAVAILABLE"))
                .body("error.message", not(containsString("127.0.0.1")))
                .body("error.message", not(containsString(":1")))
                .body("error.message", not(containsString("refused")));
    }

    /** Values that are valid for the parameter: an id of 2147483647 (or 99999999999) may well exist. */
    private static boolean acceptable(String parameter, String value) {
        return parameter.endsWith("Id") && (value.equals("2147483647") || value.equals("99999999999"));
    }
}
