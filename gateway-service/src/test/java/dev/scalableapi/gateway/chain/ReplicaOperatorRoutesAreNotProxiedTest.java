package dev.scalableapi.gateway.chain;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.scalableapi.gateway.support.EchoUpstreamResource;
import dev.scalableapi.gateway.support.TestKeys;
import dev.scalableapi.gateway.support.TestKeys.Issued;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.config.RestAssuredConfig;
import io.restassured.config.EncoderConfig;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A replica's operator routes are the admin API's to call (audited), never the proxy's: not for an admin's key
 * either, however the path is spelled. The upstream here would echo anything it received with a 200.
 */
@QuarkusTest
@TestProfile(ReplicaOperatorRoutesAreNotProxiedTest.WithUpstream.class)
class ReplicaOperatorRoutesAreNotProxiedTest {

    public static class WithUpstream implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(EchoUpstreamResource.class));
        }
    }

    @Inject
    Pool pool;

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/internal/cache/clear", "/api/v1/internal", "/api/v1/./internal/cache/clear",
        "/api/v1/%69nternal/cache/clear", "/api/v1/internal%2Fcache%2Fclear", "/api/v1/internal;x=y/cache/clear",
        "/api/v1/resources/../internal/circuit-breakers/external/reset"})
    void anAdminsKeyGets404AndNothingIsForwarded(String path) {
        Issued key = TestKeys.active(pool, "enterprise", "read,write");
        pool.preparedQuery("update users set role = 'admin' where id = $1").execute(Tuple.of(key.ownerId()))
                .await().atMost(Duration.ofSeconds(15));

        given().config(RestAssuredConfig.config().encoderConfig(EncoderConfig.encoderConfig()))
                .urlEncodingEnabled(false).header("X-API-Key", key.key())
                .when().post(path)
                .then().statusCode(404).body("error.code", equalTo("NOT_FOUND"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/internals", "/api/v1/resources/internal"})
    void pathsThatOnlyLookAlikeAreProxied(String path) {
        Issued key = TestKeys.active(pool, "free", "read");
        given().header("X-API-Key", key.key()).when().get(path).then().statusCode(200);
    }
}
