package dev.scalableapi.balancer.status;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

import dev.scalableapi.balancer.support.Backends;
import dev.scalableapi.balancer.support.Lb;
import dev.scalableapi.balancer.support.Load;
import dev.scalableapi.balancer.support.TestBackend;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
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
class ReportsBackendStateTest {

    @BeforeEach
    void cleanSlate() {
        Lb.awaitCleanSlate();
    }

    @AfterEach
    void restore() {
        Backends.resetAll();
    }

    @Test
    void statusAndMetricsCountRequestsPerBackend() {
        JsonPath before = Lb.statusJson();
        String metricsBefore = Lb.metrics();
        try (Load load = Load.run(4, 60, "/api/v1/status")) {
            assertThat(load.status(200), equalTo(60L));
        }
        JsonPath after = Lb.statusJson();
        String metricsAfter = Lb.metrics();
        long requests = sum(after, "requests") - sum(before, "requests");
        assertThat("/lb/status requests", requests, greaterThanOrEqualTo(60L));
        double successes = Lb.metric(metricsAfter, "balancer_backend_requests_total", "outcome=\"success\"")
                - Lb.metric(metricsBefore, "balancer_backend_requests_total", "outcome=\"success\"");
        assertThat("balancer_backend_requests_total{outcome=success}", successes, greaterThanOrEqualTo(60.0));
        assertThat(after.getString("data.policy"), equalTo("p2c"));
        for (TestBackend backend : Backends.all()) {
            String label = "backend=\"" + backend.id() + "\"";
            assertThat(metricsAfter, containsString("balancer_backend_latency_seconds_bucket{" + label));
            // Exported from the start (at 0), so increase()/rate() see the first ejection or failure.
            assertThat(metricsAfter, matchesPattern(
                    "(?s).*\\nbalancer_backend_ejections_total\\{" + java.util.regex.Pattern.quote(label) + "\\}.*"));
            assertThat(metricsAfter, matchesPattern("(?s).*\\nbalancer_backend_requests_total\\{"
                    + java.util.regex.Pattern.quote(label) + ",outcome=\"connect_failure\"\\}.*"));
            assertThat(Lb.metric(metricsAfter, "balancer_backend_healthy", label), equalTo(1.0));
            assertThat(Lb.metric(metricsAfter, "balancer_backend_ejected", label), equalTo(0.0));
            assertThat(Lb.status(backend).get("latencyEwmaMs"), notNullValue());
        }
    }

    @Test
    void inFlightRequestsShowInStatusAndMetrics() throws Exception {
        Backends.all().forEach(b -> b.delay(1_500));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            responses.add(http.sendAsync(HttpRequest.newBuilder(Lb.uri("/api/v1/status")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        await("six requests in flight").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> sum(Lb.statusJson(), "inFlight") == 6);
        assertThat(Lb.metric("balancer_backend_in_flight", "backend="), equalTo(6.0));
        assertThat(Lb.statusJson().getInt("data.retries.activeRequests"), equalTo(6));
        assertThat(Lb.metric("balancer_active_requests", ""), equalTo(6.0));
        CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(2)).until(() -> sum(Lb.statusJson(), "inFlight") == 0);
        assertThat(Lb.metric("balancer_backend_in_flight", "backend="), equalTo(0.0));
    }

    @Test
    void healthAndEjectionShowInStatusAndMetrics() {
        TestBackend draining = Backends.get(3);
        draining.drain(true);
        String label = "backend=\"" + draining.id() + "\"";
        await().atMost(Duration.ofSeconds(5)).until(() -> Lb.metric("balancer_backend_healthy", label) == 0.0);
        JsonPath status = Lb.statusJson();
        assertThat(status.getInt("data.healthyBackends"), equalTo(2));
        assertThat(status.getList("data.backends.findAll { !it.healthy }.id"), hasSize(1));

        TestBackend failing = Backends.get(1);
        failing.failApiWith(503);
        String failingLabel = "backend=\"" + failing.id() + "\"";
        double ejectionsBefore = Lb.metric("balancer_backend_ejections_total", failingLabel);
        try (Load load = Load.start(2, "/api/v1/status")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> "OPEN".equals(Lb.breaker(failing)));
        }
        String metrics = Lb.metrics();
        assertThat(Lb.metric(metrics, "balancer_backend_ejected", failingLabel), equalTo(1.0));
        assertThat(Lb.metric(metrics, "balancer_backend_ejections_total", failingLabel),
                equalTo(ejectionsBefore + 1));
        assertThat(Lb.metric(metrics, "balancer_backend_requests_total", failingLabel + ",outcome=\"server_error\""),
                greaterThanOrEqualTo(3.0));
        assertThat(((Number) Lb.status(failing).get("ejections")).intValue(), greaterThanOrEqualTo(1));
        assertThat(Lb.status(failing).get("ejectedUntil"), notNullValue());
        given().get("/lb/status").then().body("data.healthyBackends", equalTo(1));
    }

    private static long sum(JsonPath status, String field) {
        return status.getList("data.backends." + field, Number.class).stream().mapToLong(Number::longValue).sum();
    }
}
