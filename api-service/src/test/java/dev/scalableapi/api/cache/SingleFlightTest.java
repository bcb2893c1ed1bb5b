package dev.scalableapi.api.cache;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalableapi.api.support.Api;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SingleFlightTest {

    private static final int CALLERS = 50;

    @Inject
    @CacheName("resources")
    Cache l1;

    @Inject
    RedisDataSource redis;

    @Inject
    MeterRegistry registry;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "api.cache.key-prefix")
    String keyPrefix;

    @TestHTTPResource("/api/v1/resources/")
    URL resources;

    private double loads() {
        Counter counter = registry.find("api.cache.loads").counter();
        assertNotNull(counter, "api.cache.loads is not registered");
        return counter.count();
    }

    @Test
    void concurrentMissesForOneIdLoadFromPostgresOnce() throws Exception {
        long id = Api.create(51, "hot key", Api.uniqueType("flight"));
        // Make sure neither level has it: the first wave of readers must all miss.
        given().when().get(Api.RESOURCES + "/" + id).then().statusCode(200);
        l1.invalidateAll().await().indefinitely();
        redis.key().del(keyPrefix + id);
        assertEquals(0, redis.key().exists(keyPrefix + id) ? 1 : 0);

        double loadsBefore = loads();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = resources.toURI().resolve(Long.toString(id));
        ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
        List<HttpResponse<String>> responses = new ArrayList<>();
        try {
            CountDownLatch ready = new CountDownLatch(CALLERS);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                String requestId = "flight-" + i;
                futures.add(pool.submit(() -> {
                    HttpRequest request = HttpRequest.newBuilder(uri).header("X-Request-ID", requestId)
                            .timeout(Duration.ofSeconds(20)).GET().build();
                    ready.countDown();
                    start.await();
                    return client.send(request, HttpResponse.BodyHandlers.ofString());
                }));
            }
            ready.await(20, TimeUnit.SECONDS);
            start.countDown();
            for (Future<HttpResponse<String>> future : futures) {
                responses.add(future.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }

        Set<JsonNode> bodies = new HashSet<>();
        for (HttpResponse<String> response : responses) {
            assertEquals(200, response.statusCode(), response.body());
            JsonNode body = json.readTree(response.body());
            bodies.add(body.get("data"));
            // Each caller gets its own request id back, even when it was answered by another caller's load.
            String sent = response.request().headers().firstValue("X-Request-ID").orElseThrow();
            assertEquals(sent, body.get("meta").get("requestId").asText(), "meta.requestId of " + sent);
        }
        assertEquals(1, bodies.size(), "all callers must see the same resource: " + bodies);
        assertEquals(id, bodies.iterator().next().get("id").asLong());
        assertEquals(1.0, loads() - loadsBefore, "PostgreSQL loads for " + CALLERS + " concurrent misses");
    }
}
