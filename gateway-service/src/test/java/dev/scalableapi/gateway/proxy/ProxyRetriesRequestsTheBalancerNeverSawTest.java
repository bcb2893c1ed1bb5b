package dev.scalableapi.gateway.proxy;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.scalableapi.gateway.support.TestKeys;
import dev.scalableapi.gateway.support.TestKeys.Issued;
import dev.scalableapi.gateway.support.WithEchoUpstream;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A single balancer (so no failover) that resets each connection right after answering on it, without saying so:
 * the pooled connection the gateway would reuse for the next request is already dead. Either the gateway noticed
 * and opens a new one, or the request could not be created or its head not written on it and goes once more over a
 * fresh connection, POSTs included; never a 502 or 503.
 */
@QuarkusTest
@TestProfile(WithEchoUpstream.class)
class ProxyRetriesRequestsTheBalancerNeverSawTest {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Inject
    Pool pool;

    @TestHTTPResource("/")
    URL gateway;

    @ConfigProperty(name = "gateway.upstream.url")
    String balancer;

    @Test
    void postsOverPooledConnectionsTheBalancerResetGetItsAnswer() throws Exception {
        Issued key = TestKeys.active(pool, "pro", "read,write");
        for (int i = 0; i < 100; i++) {
            String body = "{\"round\":" + i + "}";
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create(gateway + "api/v1/things?upstream=reset-after"))
                    .header("X-API-Key", key.key()).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.body(), response.statusCode(), equalTo(200));
            assertThat(JsonPath.from(response.body()).getInt("bodyBytes"), equalTo(body.length()));
            // One request at a time, and the reset done before the next is sent (asked of the balancer directly):
            // a pooled connection is either known dead or dead before the request reaches it, never killed under it.
            String connection = response.headers().firstValue("X-Upstream-Connection").orElseThrow();
            await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                    .until(() -> !open(connection));
        }
    }

    private boolean open(String connection) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                URI.create(balancer.split(";")[0] + "/?upstream=connection-open&id=" + connection)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JsonPath.from(answer.body()).getBoolean("open");
    }
}
