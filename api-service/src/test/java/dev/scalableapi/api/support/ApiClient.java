package dev.scalableapi.api.support;

import dev.scalableapi.testsupport.Management;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** The few API calls the fault-tolerance tests repeat, against the Quarkus test app or a given base URI. */
public final class ApiClient {

    public static final long OWNER = 7;

    private final String baseUri;

    private ApiClient(String baseUri) {
        this.baseUri = baseUri;
    }

    /** The application started by {@code @QuarkusTest} (RestAssured's configured port). */
    public static ApiClient local() {
        return new ApiClient(null);
    }

    /** A replica listening on 127.0.0.1:{@code port}. */
    public static ApiClient at(int port) {
        return new ApiClient("http://127.0.0.1:" + port);
    }

    private RequestSpecification request() {
        RequestSpecification spec = given();
        return baseUri == null ? spec : spec.baseUri(baseUri);
    }

    public Response create(String name) {
        return request().filter(Callers.writer(OWNER)).contentType("application/json")
                .body("{\"name\":\"" + name + "\",\"type\":\"doc\"}")
                .post("/api/v1/resources");
    }

    /** Creates a resource and returns its id, failing unless the API answered 201. */
    public long createId(String name) {
        return create(name).then().statusCode(201).extract().jsonPath().getLong("data.id");
    }

    public Response get(long id) {
        return request().get("/api/v1/resources/" + id);
    }

    public Response rename(long id, String name) {
        return request().filter(Callers.writer(OWNER)).contentType("application/merge-patch+json")
                .body("{\"name\":\"" + name + "\"}")
                .patch("/api/v1/resources/" + id);
    }

    public Response delete(long id) {
        return request().filter(Callers.writer(OWNER)).delete("/api/v1/resources/" + id);
    }

    /** State (CLOSED, OPEN, HALF_OPEN) of one of this replica's circuit breakers. */
    public String breakerState(String name) {
        return request().filter(Callers.admin(1)).get("/api/v1/internal/circuit-breakers")
                .then().statusCode(200).extract().jsonPath()
                .getString("data.find { it.name == '" + name + "' }.state");
    }

    public void resetBreaker(String name) {
        request().filter(Callers.admin(1)).post("/api/v1/internal/circuit-breakers/" + name + "/reset")
                .then().statusCode(200);
    }

    public boolean invalidationsSubscribed() {
        return request().filter(Callers.admin(1)).get("/api/v1/internal/cache")
                .then().statusCode(200).extract().jsonPath().getBoolean("data.invalidationsSubscribed");
    }

    /** Empties L2 and every replica's L1: ids restart at 1 after Flyway's clean, old L2 keys must not answer. */
    public void clearCaches() {
        request().filter(Callers.admin(1)).post("/api/v1/internal/cache/clear").then().statusCode(200);
    }

    /** Readiness of the {@code @QuarkusTest} application, on its management port. */
    public Response readiness() {
        if (baseUri != null) {
            throw new IllegalStateException("readiness is read from the local application only");
        }
        return Management.given().get("/q/health/ready");
    }
}
