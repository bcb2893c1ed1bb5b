package dev.scalableapi.gateway.requestlog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.oneOf;
import static org.hamcrest.Matchers.empty;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import dev.scalableapi.testsupport.Management;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Requests of every kind — proxied, unknown, answered by the gateway itself — end up as rows in request_logs. */
@QuarkusTest
class EveryRequestLandsInRequestLogTest {

    @Inject
    Pool pool;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void proxiedPathIsLoggedWithItsRouteTemplateAndTheStatusTheClientSaw() {
        String id = "rl-" + run + "-proxied";
        OffsetDateTime before = OffsetDateTime.now().minusSeconds(1);
        Response response = given().header("X-Request-ID", id).get("/api/v1/resources/42?x=1");

        Row row = awaitRow(id);
        assertThat(row.getString("method"), equalTo("GET"));
        assertThat(row.getString("route"), equalTo("/api/v1/resources/{id}"));
        assertThat(row.getString("path"), equalTo("/api/v1/resources/42"));
        // The proxy stage may or may not reach an upstream here: the log must say what the client got.
        assertThat((int) row.getShort("status"), equalTo(response.statusCode()));
        assertThat(row.getString("cache_status"), equalTo(response.header("X-Cache")));
        assertThat(row.getString("instance"), equalTo("gateway-test"));
        assertThat(row.getFloat("latency_ms"), greaterThan(0f));
        assertThat(row.getString("client_ip"), is(oneOf("127.0.0.1", "0:0:0:0:0:0:0:1", "::1")));
        OffsetDateTime at = row.getOffsetDateTime("occurred_at");
        assertTrue(at.isAfter(before) && at.isBefore(OffsetDateTime.now().plusSeconds(1)), "occurred_at " + at);
        assertThat(row.getLong("key_id"), nullValue());
    }

    @Test
    void unknownRouteOutsideTheApiIsLoggedAsItsNotFound() {
        String id = "rl-" + run + "-nope";
        given().header("X-Request-ID", id).get("/nope").then().statusCode(404);

        Row row = awaitRow(id);
        assertThat((int) row.getShort("status"), equalTo(404));
        assertThat(row.getString("route"), equalTo("/nope"));
        assertThat(row.getString("path"), equalTo("/nope"));
        assertThat(row.getString("instance"), equalTo("gateway-test"));
        assertThat(row.getFloat("latency_ms"), greaterThan(0f));
    }

    @Test
    void identityCacheStatusAndErrorCodeOfTheExchangeAreLogged() {
        String id = "rl-" + run + "-probe";
        String uuid = UUID.randomUUID().toString();
        given().header("X-Request-ID", id)
                .get("/probe/items/" + uuid + "?key=4242&user=17&cache=HIT-L2&status=503&error=UPSTREAM_DOWN")
                .then().statusCode(503).header("X-Cache", "HIT-L2");

        Row row = awaitRow(id);
        assertThat(row.getString("route"), equalTo("/probe/items/{id}"));
        assertThat(row.getString("path"), equalTo("/probe/items/" + uuid));
        assertThat((int) row.getShort("status"), equalTo(503));
        assertThat(row.getLong("key_id"), equalTo(4242L));
        assertThat(row.getLong("user_id"), equalTo(17L));
        assertThat(row.getString("cache_status"), equalTo("HIT-L2"));
        assertThat(row.getString("error_code"), equalTo("UPSTREAM_DOWN"));
    }

    @Test
    void healthChecksOnTheManagementPortAreNotLoggedButProbesOfTheTrafficPortAre() {
        String skipped = "rl-" + run + "-health";
        String probe = "rl-" + run + "-probe";
        String marker = "rl-" + run + "-after-health";
        Management.given().header("X-Request-ID", skipped).get("/q/health/live").then().statusCode(200);
        given().header("X-Request-ID", probe).get("/q/metrics").then().statusCode(404);
        given().header("X-Request-ID", marker).get("/nope").then().statusCode(404);

        awaitRow(marker); // written in the same or a later batch than the health check would have been
        assertThat(RequestLogDb.query(pool, "select 1 from request_logs where request_id = $1", skipped), empty());
        assertThat((int) awaitRow(probe).getShort("status"), equalTo(404));
    }

    private Row awaitRow(String requestId) {
        return await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> RequestLogDb.query(pool, "select * from request_logs where request_id = $1", requestId),
                        rows -> rows.size() == 1)
                .get(0);
    }
}
