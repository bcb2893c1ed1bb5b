package dev.scalableapi.balancer.proxy;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.startsWith;

import dev.scalableapi.balancer.support.Backends;
import dev.scalableapi.balancer.support.DeterministicBytes;
import dev.scalableapi.balancer.support.Lb;
import dev.scalableapi.balancer.support.Load;
import dev.scalableapi.balancer.support.TestBackend;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retries of requests that never reached a backend, against real servers: connections the backend closed behind the
 * balancer's back, a backend crashing under load, and — the limit — a POST whose body did arrive.
 */
@QuarkusTest
@WithTestResource(Backends.class)
class RetriesWhatNeverReachedABackendTest {

    private static final int BODY = 4 * 1024;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Inject
    Vertx vertx;

    @BeforeEach
    void cleanSlate() {
        Lb.awaitCleanSlate();
    }

    @AfterEach
    void restore() {
        Backends.resetAll();
    }

    @Test
    void aPostOverAPooledConnectionTheBackendHadAlreadyResetGetsTheBackendsAnswer() throws Exception {
        byte[] body = DeterministicBytes.stream(BODY).readAllBytes();
        String sha = DeterministicBytes.sha256Of(BODY);
        byte[] head = ("POST /api/v1/echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Length: " + BODY + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        int posts = 120;
        for (int i = 0; i < posts; i++) {
            try (Socket client = new Socket("localhost", Lb.port())) {
                client.setSoTimeout(15_000);
                // The last POST's connection waits, kept alive, in the balancer's pool. With the balancer's event
                // loops parked, the backend resets it and the next POST arrives; then the balancer either notices the
                // reset first or reuses the dead connection: found closed as the request is created, or its head not
                // written — never sent, so sent elsewhere, not a 502. Only that one connection is dead, so the retry
                // cannot meet another.
                try (AutoCloseable paused = Lb.pauseEventLoops(vertx)) {
                    Backends.all().forEach(TestBackend::resetIdleEchoConnections);
                    client.getOutputStream().write(head);
                    client.getOutputStream().write(body);
                }
                String response = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                String answer = response.substring(response.indexOf("\r\n\r\n") + 4);
                assertThat(response, startsWith("HTTP/1.1 200 "));
                assertThat(JsonPath.from(answer).getString("sha256"), equalTo(sha));
            }
        }
        assertThat("each POST reached a backend exactly once",
                Backends.all().stream().mapToInt(TestBackend::echoRequests).sum(), equalTo(posts));
    }

    @Test
    void idempotentRequestsCutOffByABackendCrashAllSucceedOnTheOthers() {
        TestBackend victim = Backends.get(2);
        // Slow enough that requests are surely inside it when it dies.
        victim.delay(300);
        try (Load load = Load.start(6, "/api/v1/status")) {
            await("requests inside the victim").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> load.servedBy(victim.name()) >= 3
                            && victim.apiRequests() > load.servedBy(victim.name()));
            victim.kill();
            long completedAtCrash = load.completed();
            await("traffic continues on the others").atMost(Duration.ofSeconds(10))
                    .until(() -> load.completed() >= completedAtCrash + 200);
            load.stop();
            assertThat("the crash cut requests off mid-flight", (long) victim.apiRequests(),
                    greaterThan(load.servedBy(victim.name())));
            assertThat("client-visible errors", load.errors(), empty());
            assertThat(load.status(200), equalTo(load.completed()));
        }
    }

    @Test
    void aPostWhoseBodyReachedTheBackendIsNotSentAgainWhenTheConnectionDies() throws Exception {
        // Pooled connections to every backend first, so that the POST goes over one that served a request before.
        // Sent over the POST's own client connection: the balancer keeps pooled connections per event loop, and
        // one inbound connection stays on one loop.
        await("every backend served a request").atMost(Duration.ofSeconds(10)).until(() -> {
            http.send(HttpRequest.newBuilder(Lb.uri("/api/v1/status")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return Backends.all().stream().allMatch(b -> b.apiRequests() > 0);
        });
        Backends.all().forEach(b -> b.resetEchoAfter(BODY));
        double retriesBefore = Lb.metric("balancer_retries_total", "outcome=\"attempted\"");
        HttpResponse<String> response = post(BODY);
        assertThat(response.body(), response.statusCode(), equalTo(502));
        assertThat(JsonPath.from(response.body()).getString("error.code"), equalTo("UPSTREAM_ERROR"));
        TestBackend reached = Backends.all().stream().filter(b -> b.echoRequests() > 0).findFirst().orElseThrow();
        assertThat("the body arrived over a reused keep-alive connection", reached.lastEchoOnReusedConnection(),
                equalTo(true));
        assertThat("the POST reached one backend, once",
                Backends.all().stream().mapToInt(TestBackend::echoRequests).sum(), equalTo(1));
        assertThat(Lb.metric("balancer_retries_total", "outcome=\"attempted\""), equalTo(retriesBefore));
    }

    private HttpResponse<String> post(int size) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(Lb.uri("/api/v1/echo")).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(DeterministicBytes.stream(size).readAllBytes()))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
