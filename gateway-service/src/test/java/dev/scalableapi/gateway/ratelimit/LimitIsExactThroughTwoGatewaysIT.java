package dev.scalableapi.gateway.ratelimit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.gateway.support.EchoUpstream;
import dev.scalableapi.gateway.support.GatewayReplica;
import dev.scalableapi.gateway.support.TestKeys;
import dev.scalableapi.gateway.support.TestStores;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * client IP, passed as X-Forwarded-For from loopback (a trusted proxy), is the subject. A key with its own policies
 * (a UTC day quota beside a generous burst) is held to its quota exactly the same way, refused as
 * {@code QUOTA_EXCEEDED}.
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
        Map<Integer, AtomicInteger> byStatus = new ConcurrentHashMap<>();
        int enveloped = fire(5 * LIMIT, "X-Forwarded-For", TestKeys.uniqueIp(), "RATE_LIMIT_EXCEEDED", byStatus);
        assertEquals(LIMIT, byStatus.getOrDefault(200, new AtomicInteger()).get(), "admitted: " + byStatus);
        assertEquals(4 * LIMIT, byStatus.getOrDefault(429, new AtomicInteger()).get(), "limited: " + byStatus);
        assertEquals(4 * LIMIT, enveloped, "every 429 is the envelope with Retry-After");
        assertTrue(byStatus.keySet().stream().allMatch(s -> s == 200 || s == 429), "only 200/429: " + byStatus);
    }

    @Test
    void aKeysDayQuotaIsExactAcrossTwoGateways() throws Exception {
        int quota = 50;
        Vertx vertx = Vertx.vertx();
        Pool db = TestStores.postgres(vertx);
        try {
            TestKeys.Issued key = TestKeys.active(db, "free", "read");
            db.preparedQuery("update api_keys set rate_limits = $2::text::jsonb where id = $1")
                    .execute(Tuple.of(key.keyId(), "[{\"name\":\"burst\",\"window\":\"second\",\"limit\":100000},"
                            + "{\"name\":\"daily\",\"window\":\"day\",\"limit\":" + quota + "}]"))
                    .await().atMost(Duration.ofSeconds(10));
            // the day must not end during the burst: a minute before 00:00 UTC, wait for the new day
            Instant midnight = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS);
            await().atMost(Duration.ofSeconds(70)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> Instant.now().isBefore(midnight.minusSeconds(60)) || Instant.now().isAfter(midnight));

            // each replica looks the new key up once (GET /api/v1/me spends nothing), not 64 callers at once
            HttpClient http = HttpClient.newHttpClient();
            for (GatewayReplica replica : replicas) {
                HttpResponse<String> me = http.send(HttpRequest.newBuilder(URI.create(replica.baseUri() + "/api/v1/me"))
                        .header("X-API-Key", key.key()).timeout(Duration.ofSeconds(20)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, me.statusCode(), me.body());
            }
            Map<Integer, AtomicInteger> byStatus = new ConcurrentHashMap<>();
            int enveloped = fire(5 * quota, "X-API-Key", key.key(), "QUOTA_EXCEEDED", byStatus);
            assertEquals(quota, byStatus.getOrDefault(200, new AtomicInteger()).get(), "admitted: " + byStatus);
            assertEquals(4 * quota, byStatus.getOrDefault(429, new AtomicInteger()).get(), "refused: " + byStatus);
            assertEquals(4 * quota, enveloped, "every 429 is QUOTA_EXCEEDED with Retry-After");
        } finally {
            db.closeAndAwait();
            vertx.closeAndAwait();
        }
    }

    /** Fires {@code total} requests from {@link #CLIENTS} threads, alternately at the two gateways. */
    private static int fire(int total, String header, String value, String refusal,
            Map<Integer, AtomicInteger> byStatus) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        AtomicInteger bodiesWithEnvelope = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                GatewayReplica target = replicas.get(i % 2);
                calls.add(pool.submit(() -> {
                    go.await();
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder()
                            .uri(URI.create(target.baseUri() + "/api/v1/things"))
                            .header(header, value)
                            .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
                    byStatus.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                    if (response.statusCode() == 429 && response.body().contains("\"" + refusal + "\"")
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
        return bodiesWithEnvelope.get();
    }
}
