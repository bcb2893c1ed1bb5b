package dev.scalableapi.api.instance;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;

import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;
import dev.scalableapi.testsupport.Management;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

@QuarkusTest
class StatusTest {

    @Test
    void statusNamesThisInstanceAndItsVersion() {
        String version = ConfigProvider.getConfig().getValue("quarkus.application.version", String.class);
        given().when().get("/api/v1/status")
                .then().statusCode(200)
                .header("X-Served-By", "api-test")
                .body("data.instanceId", equalTo("api-test"))
                .body("data.version", equalTo(version))
                .body("data.version", not(emptyOrNullString()))
                .body("data.uptimeSeconds", greaterThanOrEqualTo(0))
                .body("data.startedAt", not(emptyOrNullString()))
                .body("meta.requestId", not(emptyOrNullString()));
    }

    @Test
    void everyResponseSaysWhichInstanceServedIt() {
        given().when().get("/api/v1/status").then().statusCode(200).header("X-Served-By", "api-test");
        given().when().get("/api/v1/resources/abc").then().statusCode(400).header("X-Served-By", "api-test");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/q/health", "/q/health/ready", "/q/metrics", "/q/openapi", "/q/anything"})
    void theTrafficPortAnswersManagementPathsWith404(String path) {
        given().header("X-Request-ID", "status-q").when().get(path)
                .then().statusCode(404)
                .body("error.code", equalTo("NOT_FOUND"))
                .body("meta.requestId", equalTo("status-q"));
    }

    @Test
    void readinessIsUp() {
        Management.given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'database' }.data.postgresql", equalTo("reachable"))
                .body("checks.find { it.name == 'database' }.data.degraded", equalTo(false));
    }

    @Test
    void metricsExposeLatencyHistogramAndCacheCounters() {
        // At least one request has been timed before the scrape.
        given().when().get("/api/v1/status").then().statusCode(200);
        Management.given().when().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("http_server_requests_seconds_bucket"))
                .body(containsString("api_cache_lookups_total"))
                .body(containsString("api_cache_loads_total"));
    }

    @Test
    void openApiDocumentDescribesTheResourcesApi() {
        Management.given().accept("application/json").when().get("/q/openapi?format=json")
                .then().statusCode(200)
                .body(containsString("/api/v1/resources"));
    }
}
