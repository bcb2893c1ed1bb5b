package dev.scalableapi.gateway.shedding;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.gateway.support.EchoUpstreamResource;
import dev.scalableapi.gateway.support.Metrics;
import dev.scalableapi.gateway.support.TestKeys;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * What a client sees when the limit is full, through the real pipeline and a real upstream: a limit of one
 * (ceiling and floor) is taken by a request the upstream answers slowly, and the next request is refused at once
 * with the 503 {@code OVERLOADED} envelope and {@code Retry-After}, counted in the metrics, before the rate limiter
 * is asked; once the slow one is
 * answered, requests pass again. A request gives its place back however it ends: a client that leaves mid-request,
 * an upstream that breaks off its answer (the client's answer is cut short too).
 */
@QuarkusTest
@TestProfile(FullLimitAnswersOverloadedTest.LimitOfOne.class)
class FullLimitAnswersOverloadedTest {

    public static class LimitOfOne implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.shedding.max-limit", "1", "gateway.shedding.min-limit", "1");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(EchoUpstreamResource.class));
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void theRequestOverTheLimitGetsTheOverloadedEnvelope() {
        String client = TestKeys.uniqueIp();
        CompletableFuture<HttpResponse<String>> slow = HttpClient.newHttpClient().sendAsync(
                HttpRequest.newBuilder(URI.create(gateway + "api/v1/things?upstream=slow&ms=2000"))
                        .header("X-Forwarded-For", client).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> Metrics.value("gateway_shedding_in_flight") == 1);
        double shedBefore = Metrics.value("gateway_shed_requests_total");
        double decisionsBefore = rateLimitDecisions();

        Response refused = given().header("X-Forwarded-For", client).get("/api/v1/things");
        refused.then().statusCode(503).header("Retry-After", "1")
                .body("error.code", equalTo("OVERLOADED"))
                .body("meta.requestId", equalTo(refused.header("X-Request-ID")));
        assertEquals(shedBefore + 1, Metrics.value("gateway_shed_requests_total"));
        // refused ahead of the rate limiter: a refusal costs no round trip to Redis
        assertEquals(decisionsBefore, rateLimitDecisions());
        assertEquals(1, Metrics.value("gateway_shedding_limit"));

        assertEquals(200, slow.join().statusCode());
        await().atMost(Duration.ofSeconds(10)).until(() -> Metrics.value("gateway_shedding_in_flight") == 0);
        given().header("X-Forwarded-For", client).get("/api/v1/things").then().statusCode(200)
                .body("uri", equalTo("/api/v1/things"));
    }

    @Test
    void aClientThatLeavesMidRequestGivesItsPlaceBack() throws Exception {
        String client = TestKeys.uniqueIp();
        await().atMost(TIMEOUT).until(() -> Metrics.value("gateway_shedding_in_flight") == 0);
        // the upstream would answer only after a minute: the place must come back from the client's leaving
        try (Socket socket = send("/api/v1/things?upstream=slow&ms=60000", client)) {
            await().atMost(TIMEOUT).until(() -> Metrics.value("gateway_shedding_in_flight") == 1);
        }
        await().atMost(TIMEOUT).until(() -> Metrics.value("gateway_shedding_in_flight") == 0);
        given().header("X-Forwarded-For", client).get("/api/v1/things").then().statusCode(200);
    }

    @Test
    void anAnswerCutShortByTheUpstreamGivesItsPlaceBack() {
        String client = TestKeys.uniqueIp();
        await().atMost(TIMEOUT).until(() -> Metrics.value("gateway_shedding_in_flight") == 0);
        // the upstream promises 10,000 bytes, sends 100 and closes: the gateway cuts the client's answer short too
        assertThrows(IOException.class, () -> HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(gateway + "api/v1/things?upstream=close"))
                        .header("X-Forwarded-For", client).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString()));
        await().atMost(TIMEOUT).until(() -> Metrics.value("gateway_shedding_in_flight") == 0);
        given().header("X-Forwarded-For", client).get("/api/v1/things").then().statusCode(200);
    }

    @Test
    void aClientThatLeavesWhileItsAnswerIsRelayedGivesItsPlaceBack() throws Exception {
        String client = TestKeys.uniqueIp();
        await().atMost(TIMEOUT).until(() -> Metrics.value("gateway_shedding_in_flight") == 0);
        for (int i = 0; i < 20; i++) {
            // a large answer the client stops reading after its first bytes: the relay is mid-body when it leaves
            try (Socket socket = send("/api/v1/things?upstream=big", client)) {
                socket.setSoTimeout(10_000);
                socket.setSoLinger(true, 0);
                byte[] head = new byte[1000];
                assertTrue(socket.getInputStream().read(head) > 0);
                assertTrue(new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"));
            }
            await().atMost(TIMEOUT).until(() -> Metrics.value("gateway_shedding_in_flight") == 0);
        }
        given().header("X-Forwarded-For", client).get("/api/v1/things").then().statusCode(200);
    }

    private Socket send(String target, String client) throws Exception {
        Socket socket = new Socket(gateway.getHost(), gateway.getPort());
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + target + " HTTP/1.1\r\nHost: gateway\r\nX-Forwarded-For: " + client + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    private static double rateLimitDecisions() {
        return Metrics.samples(Metrics.scrape(), "gateway_ratelimit_decisions_total").stream()
                .mapToDouble(Metrics.Sample::value).sum();
    }
}
