package dev.scalableapi.balancer.retry;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.scalableapi.balancer.support.Backends;
import dev.scalableapi.balancer.support.Lb;
import dev.scalableapi.balancer.support.TestBackend;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(Backends.class)
class RetryBudgetTest {

    private static final String RETRIES = "balancer_retries_total";

    @BeforeEach
    void cleanSlate() {
        Lb.awaitCleanSlate();
    }

    @AfterEach
    void restore() {
        Backends.resetAll();
    }

    @Test
    void whenEveryBackendFailsRetriesStayWithinTheBudgetAndClientsGetAnAnswer() throws Exception {
        Backends.all().forEach(b -> b.failApiWith(503).delay(500));
        String before = Lb.metrics();
        int concurrent = 50;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < concurrent; i++) {
            responses.add(http.sendAsync(HttpRequest.newBuilder(Lb.uri("/api/v1/status"))
                    .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        for (var response : responses) {
            HttpResponse<String> r = response.join();
            assertThat(r.body(), r.statusCode(), equalTo(503));
            assertThat(r.body(), anyOf(org.hamcrest.Matchers.containsString("FAILING"),
                    org.hamcrest.Matchers.containsString("UPSTREAM_UNAVAILABLE")));
        }
        String after = Lb.metrics();
        double attempted = Lb.metric(after, RETRIES, "outcome=\"attempted\"")
                - Lb.metric(before, RETRIES, "outcome=\"attempted\"");
        double exhausted = Lb.metric(after, RETRIES, "outcome=\"budget_exhausted\"")
                - Lb.metric(before, RETRIES, "outcome=\"budget_exhausted\"");
        int budget = Math.max(3, concurrent * 20 / 100);
        assertThat("retries attempted", attempted, lessThanOrEqualTo((double) budget));
        assertThat("retries attempted", attempted, greaterThan(0.0));
        assertThat("retries refused by the budget", exhausted, greaterThan(0.0));
        await().atMost(Duration.ofSeconds(5)).until(() -> Lb.statusJson().getInt("data.retries.activeRetries") == 0
                && Lb.statusJson().getInt("data.retries.activeRequests") == 0);
    }

    @Test
    void withNoBackendLeftClientsGet503UpstreamUnavailableWithRetryAfter() {
        Backends.all().forEach(TestBackend::kill);
        await("all backends unhealthy").atMost(Duration.ofSeconds(5))
                .until(() -> Lb.statusJson().getInt("data.healthyBackends") == 0);
        given().header("X-Request-ID", "no-backend-1").get("/api/v1/status")
                .then().statusCode(503)
                .header("Retry-After", notNullValue())
                .header("X-Request-ID", "no-backend-1")
                .body("error.code", equalTo("UPSTREAM_UNAVAILABLE"))
                .body("error.message", notNullValue())
                .body("meta.requestId", equalTo("no-backend-1"))
                .body("meta.timestamp", notNullValue());
    }

    @Test
    void backendsThatJustDiedStillYield503UpstreamUnavailableNotAHang() {
        // Before health checks notice, every attempt is a connect failure; the retry fails too.
        Backends.all().forEach(TestBackend::kill);
        given().header("X-Request-ID", "just-died-1").get("/api/v1/status")
                .then().statusCode(503)
                .header("Retry-After", notNullValue())
                .body("error.code", equalTo("UPSTREAM_UNAVAILABLE"))
                .body("meta.requestId", equalTo("just-died-1"));
    }
}
