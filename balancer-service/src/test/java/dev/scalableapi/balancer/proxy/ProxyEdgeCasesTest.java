package dev.scalableapi.balancer.proxy;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import dev.scalableapi.balancer.support.Backends;
import dev.scalableapi.balancer.support.DeterministicBytes;
import dev.scalableapi.balancer.support.Lb;
import dev.scalableapi.balancer.support.Load;
import dev.scalableapi.balancer.support.TestBackend;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(Backends.class)
class ProxyEdgeCasesTest {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void cleanSlate() {
        Lb.awaitCleanSlate();
    }

    @AfterEach
    void restore() {
        Backends.resetAll();
    }

    @Test
    void anIdempotentPutWithASmallBodyIsReplayedOnAnotherBackend() throws Exception {
        TestBackend failing = Backends.get(1);
        failing.failApiWith(503);
        long size = 4 * 1024;
        String sha = DeterministicBytes.sha256Of(size);
        int sent = 0;
        for (; sent < 20 && failing.echoRequests() == 0; sent++) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(Lb.uri("/api/v1/echo"))
                    .timeout(Duration.ofSeconds(10))
                    // A declared length: only such bodies (≤ 1 MiB) are buffered for replay.
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(DeterministicBytes.stream(size).readAllBytes()))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.body(), response.statusCode(), equalTo(200));
            assertThat(JsonPath.from(response.body()).getString("sha256"), equalTo(sha));
        }
        assertThat("a PUT met the failing backend", failing.echoRequests(), greaterThan(0));
    }

    @Test
    void clientsGivingUpDoNotGetBackendsEjected() throws Exception {
        Backends.all().forEach(b -> b.delay(3_000));
        double ejectionsBefore = Lb.metric("balancer_backend_ejections_total", "backend=");
        for (int i = 0; i < 12; i++) {
            try {
                http.send(HttpRequest.newBuilder(Lb.uri("/api/v1/status")).timeout(Duration.ofMillis(150)).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (HttpTimeoutException expected) {
                // the client gave up and closed its connection
            }
        }
        await("abandoned requests finished").atMost(Duration.ofSeconds(5))
                .until(() -> Lb.statusJson().getInt("data.retries.activeRequests") == 0);
        JsonPath status = Lb.statusJson();
        assertThat(status.getList("data.backends.breaker"), contains("CLOSED", "CLOSED", "CLOSED"));
        assertThat(Lb.metric("balancer_backend_ejections_total", "backend="), equalTo(ejectionsBefore));
    }

    @Test
    void aSlowUploadOutlastingTheFirstByteTimeoutIsNotCutOff() throws Exception {
        long size = 2 * 1024 * 1024;
        Duration pace = Duration.ofMillis(Backends.FIRST_BYTE_TIMEOUT_MILLIS + 1_000);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(Lb.uri("/api/v1/echo"))
                .timeout(Duration.ofSeconds(15))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> DeterministicBytes.slowStream(size, pace)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.body(), response.statusCode(), equalTo(200));
        assertThat(JsonPath.from(response.body()).getString("sha256"), equalTo(DeterministicBytes.sha256Of(size)));
    }

    @Test
    void repeatedXForwardedForHeadersAreAllKept() {
        given().header("X-Forwarded-For", "203.0.113.7").header("X-Forwarded-For", "198.51.100.9")
                .get("/api/v1/headers").then().statusCode(200)
                .body("data.x-forwarded-for", contains("203.0.113.7, 198.51.100.9, 127.0.0.1"));
    }

    @Test
    void aClientExpecting100ContinueIsNotKeptWaiting() throws Exception {
        long size = 1024 * 1024;
        // The JDK client waits for "100 Continue" without a deadline of its own (its request timeout only counts
        // once the response is due): without the balancer's answer this would hang until the get's deadline.
        HttpResponse<String> response = http.sendAsync(HttpRequest.newBuilder(Lb.uri("/api/v1/echo"))
                .timeout(Duration.ofSeconds(10)).expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> DeterministicBytes.stream(size)))
                .build(), HttpResponse.BodyHandlers.ofString()).get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(response.body(), response.statusCode(), equalTo(200));
        assertThat(JsonPath.from(response.body()).getString("sha256"), equalTo(DeterministicBytes.sha256Of(size)));
    }

    @Test
    void aRejectedRequestBodyDoesNotJamTheClientsKeepAliveConnection() throws Exception {
        Backends.all().forEach(TestBackend::kill);
        await().atMost(Duration.ofSeconds(5)).until(() -> Lb.statusJson().getInt("data.healthyBackends") == 0);
        HttpClient single = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long size = 8 * 1024;
        HttpResponse<String> rejected = single.send(HttpRequest.newBuilder(Lb.uri("/api/v1/echo"))
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofByteArray(DeterministicBytes.stream(size).readAllBytes()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(rejected.statusCode(), equalTo(503));

        Backends.resetAll();
        await().atMost(Duration.ofSeconds(5)).until(() -> Lb.statusJson().getInt("data.healthyBackends") == 3);
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> next = single.sendAsync(HttpRequest.newBuilder(Lb.uri("/api/v1/status"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString())
                    .get(8, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(next.statusCode(), equalTo(200));
        }
    }

    @Test
    void clientsDroppingOutAtRandomPointsLeaveNoExchangeBehind() {
        Backends.get(1).failApiWith(503);
        Backends.get(2).delay(20);
        for (int round = 0; round < 5; round++) {
            Load load = Load.start(8, "/api/v1/status");
            await().atMost(Duration.ofSeconds(10)).until(() -> load.completed() >= 40);
            load.abort();
        }
        try {
            await("every exchange finished").atMost(Duration.ofSeconds(5))
                    .until(() -> Lb.statusJson().getInt("data.retries.activeRequests") == 0
                            && Lb.statusJson().getInt("data.retries.activeRetries") == 0);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("exchanges left: " + Lb.statusJson().prettify(), e);
        }
    }

    @Test
    void headRequestsAreAnsweredWithoutABody() {
        given().head("/api/v1/download?mib=1").then().statusCode(200)
                .header("Content-Length", "1048576");
    }
}
