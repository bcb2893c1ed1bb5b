package dev.scalableapi.api.versioning;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(DeprecatedVersionTest.V1Deprecated.class)
class DeprecatedVersionTest {

    public static class V1Deprecated implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("api.versions.deprecated.v1.since", "2026-01-01",
                    "api.versions.deprecated.v1.sunset", "2027-07-01");
        }
    }

    @Test
    void versionListShowsTheDeprecation() {
        given().get("/api/version").then().statusCode(200)
                .body("data.current", equalTo("v1"))
                .body("data.supported", hasItem("v1"))
                .body("data.deprecated[0].version", equalTo("v1"))
                .body("data.deprecated[0].sunset", equalTo("2027-07-01"));
    }

    @Test
    void deprecatedVersionResponsesCarryDeprecationAndSunset() {
        given().get("/api/v1/status").then().statusCode(200)
                .header("Deprecation", equalTo("@1767225600"))
                .header("Sunset", equalTo("Thu, 1 Jul 2027 00:00:00 GMT"))
                .header("Link", equalTo("</api/version>; rel=\"deprecation\""));
    }

    @Test
    void otherRoutesAreNotMarked() {
        given().get("/api/version").then().header("Deprecation", nullValue());
    }
}
