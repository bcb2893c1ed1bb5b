package dev.scalableapi.gateway.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.gateway.support.EchoUpstream;
import dev.scalableapi.gateway.support.GatewayReplica;
import dev.scalableapi.gateway.support.TestKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The issue's own check, over HTTP: 5 × limit requests fired by 64 concurrent clients, alternately at two
 * gateway replicas (separate JVMs from the packaged jar) that share Redis, admit exactly {@code limit}. Every
 * other answer is the 429 envelope. The anonymous tier (100 per minute per client IP) is the limit; one fresh
 * client IP, passed as X-Forwarded-For from loopback (a trusted proxy), is the subject.
 */
class LimitIsExactThroughTwoGatewaysIT {

    private static final int LIMIT = 100;
    private static final int CLIENTS = 64;

    private static EchoUpstream upstream;
    private static final List<GatewayReplica> replicas = new ArrayList<>();

    @BeforeAll
    static void start() {
        upstream = EchoUpstream.start("it-ratelimit-upstream");
        // Both replicas count in the same Redis namespace, as a fleet does (the test profile's default is per JVM).
        String sharedPrefix = "it-ratelimit:" + UUID.randomUUID() + ":";
        for (String id : List.of("gateway-rl-a", "gateway-rl-b")) {
            replicas.add(GatewayReplica.start(id, upstream.asBalancer(), List.of("gateway.ratelimit.key-prefix=" + sharedPrefix)));
        }
        replicas.forEach(GatewayReplica::awaitReady);
    }

    @AfterAll
    static void stop() {
        replicas.forEach(GatewayReplica::stop);
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void exactlyTheLimitIsAdmittedAcrossTwoGateways() throws Exception {
        String clientIp = TestKeys.uniqueIp();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Map<Integer, AtomicInteger> byStatus = new ConcurrentHashMap<>();
        AtomicInteger bodiesWithEnvelope = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 5 * LIMIT; i++) {
                GatewayReplica target = replicas.get(i % 2);
                calls.add(pool.submit(() -> {
                    go.await();
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder()
                            .uri(URI.create(target.baseUri() + "/api/v1/things"))
                            .header("X-Forwarded-For", clientIp)
                            .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
                    byStatus.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                    if (response.statusCode() == 429 && response.body().contains("\"RATE_LIMIT_EXCEEDED\"")
                            && response.headers().firstValue("Retry-After").isPresent()) {
                        bodiesWithEnvelope.incrementAndGet();
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> call : calls) {
                call.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(LIMIT, byStatus.getOrDefault(200, new AtomicInteger()).get(), "admitted: " + byStatus);
        assertEquals(4 * LIMIT, byStatus.getOrDefault(429, new AtomicInteger()).get(), "limited: " + byStatus);
        assertEquals(4 * LIMIT, bodiesWithEnvelope.get(), "every 429 is the envelope with Retry-After");
        assertTrue(byStatus.keySet().stream().allMatch(s -> s == 200 || s == 429), "only 200/429: " + byStatus);
    }
}
