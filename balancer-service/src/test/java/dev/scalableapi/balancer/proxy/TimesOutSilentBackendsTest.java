package dev.scalableapi.balancer.proxy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import dev.scalableapi.balancer.support.Backends;
import dev.scalableapi.balancer.support.Lb;
import dev.scalableapi.balancer.support.TestBackend;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(Backends.class)
class TimesOutSilentBackendsTest {

    @BeforeEach
    void cleanSlate() {
        Lb.awaitCleanSlate();
    }

    @Test
    void aBackendThatNeverAnswersYields504WithinTheFirstByteTimeout() {
        int sentBefore = Backends.all().stream().mapToInt(TestBackend::neverRequests).sum();
        long started = System.nanoTime();
        Response response = given().header("X-Request-ID", "timeout-1").get("/api/v1/never");
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        response.then().statusCode(504)
                .body("error.code", equalTo("UPSTREAM_TIMEOUT"))
                .body("meta.requestId", equalTo("timeout-1"));
        assertThat(elapsedMillis, greaterThanOrEqualTo(Backends.FIRST_BYTE_TIMEOUT_MILLIS - 100));
        // A busy machine can only make it later, never earlier: the lower bound is safe, an upper one is not.
        assertThat("not retried: a timeout is not a connect failure",
                Backends.all().stream().mapToInt(TestBackend::neverRequests).sum() - sentBefore, equalTo(1));
    }
}
