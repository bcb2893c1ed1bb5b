package dev.scalableapi.gateway.proxy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.gateway.support.EchoUpstreamResource;
import dev.scalableapi.gateway.support.TestKeys;
import dev.scalableapi.gateway.support.TestKeys.Issued;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The proxy's failure paths against real sockets: the first of two upstreams is a port where nothing listens, the
 * second an echo server that can be told to be slow or to drop the connection mid-body.
 */
@QuarkusTest
@TestProfile(UpstreamFailuresTest.DeadThenLiveUpstream.class)
class UpstreamFailuresTest {

    public static class DeadThenLiveUpstream implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.upstream.first-byte-timeout", "1s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(EchoUpstreamResource.class, Map.of("layout", "dead,live")));
        }
    }

    @Inject
    Pool pool;

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void aDeadFirstUpstreamFailsOverToTheNext() {
        // round robin starts every other request at the dead upstream: each of them must still be served
        for (int i = 0; i < 4; i++) {
            given().header("X-Forwarded-For", TestKeys.uniqueIp()).get("/api/v1/things?i=" + i)
                    .then().statusCode(200).body("server", equalTo("live-0")).body("uri", equalTo("/api/v1/things?i=" + i));
        }
        // a request with a body is replayed to the next upstream too (nothing of it was sent to the dead one)
        Issued key = TestKeys.active(pool, "pro", "read,write");
        for (int i = 0; i < 2; i++) {
            given().header("X-API-Key", key.key()).contentType("application/json").body("{\"n\":" + i + "}")
                    .post("/api/v1/things").then().statusCode(200).body("server", equalTo("live-0"))
                    .body("bodyBytes", equalTo(7));
        }
    }

    @Test
    void aSlowUpstreamIsA504AfterTheFirstByteTimeout() {
        // The upstream would answer 200 after a minute: a 504 proves the gateway gave up at its own timeout (1 s),
        // with no clock in the test for a busy machine to break.
        Response response = given().header("X-Forwarded-For", TestKeys.uniqueIp())
                .get("/api/v1/things?upstream=slow&ms=60000");
        response.then().statusCode(504).body("error.code", equalTo("UPSTREAM_TIMEOUT"))
                .body("meta.requestId", equalTo(response.header("X-Request-ID")));
    }

    @Test
    void anUpstreamDroppingTheConnectionMidBodyIsNotATruncatedSuccess() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (String mode : List.of("close", "close-chunked")) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "api/v1/things?upstream=" + mode))
                    .header("X-Forwarded-For", TestKeys.uniqueIp()).timeout(Duration.ofSeconds(10)).build();
            assertThrows(IOException.class, () -> client.send(request, HttpResponse.BodyHandlers.ofString()),
                    mode + ": the client must see a broken response");
        }
    }

    @Test
    void anUpstreamDroppingTheConnectionBeforeAnsweringIsA502() {
        // a POST: a bodiless GET would go on to the other balancer (IdempotentRequestsOutliveABalancerTest)
        Issued key = TestKeys.active(pool, "pro", "read,write");
        Response response = given().header("X-API-Key", key.key()).contentType("application/json").body("{}")
                .post("/api/v1/things?upstream=drop");
        response.then().statusCode(502).body("error.code", equalTo("UPSTREAM_ERROR"))
                .body("meta.requestId", equalTo(response.header("X-Request-ID")));
    }

    @Test
    void aChunkedBodyOverOneMebibyteIsRefusedToo() throws IOException, InterruptedException {
        Issued key = TestKeys.active(pool, "pro", "read,write");
        byte[] chunk = new byte[64 * 1024];
        // no Content-Length: the body arrives chunked and only counting it can tell it is too large
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "api/v1/upload"))
                .header("X-API-Key", key.key()).header("Content-Type", "application/octet-stream")
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.SequenceInputStream(
                        java.util.Collections.enumeration(java.util.stream.IntStream.range(0, 40)
                                .mapToObj(i -> (InputStream) new java.io.ByteArrayInputStream(chunk)).toList()))))
                .build();
        HttpResponse<String> response;
        try {
            response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException refusedMidUpload) {
            return; // the gateway may also cut the connection while the client is still sending: not forwarded
        }
        assertEquals(413, response.statusCode(), "2.5 MiB chunked body: " + response.body());
    }

    @Test
    void aBodyWithoutLengthOverHttp2ReachesTheUpstreamWhole() throws IOException, InterruptedException {
        Issued key = TestKeys.active(pool, "pro", "read,write");
        byte[] body = new byte[5000];
        // h2c (upgrade from HTTP/1.1 on the first request, then HTTP/2): a streamed body has no length header
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        for (int i = 0; i < 2; i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "api/v1/upload"))
                    .header("X-API-Key", key.key()).header("Content-Type", "application/octet-stream")
                    .timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)))
                    .build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.body().contains("\"bodyBytes\":5000"), response.version() + ": " + response.body());
        }
        // and a GET over HTTP/2 still goes on without a body
        HttpResponse<String> get = client.send(HttpRequest.newBuilder(URI.create(gateway + "api/v1/things"))
                .header("X-API-Key", key.key()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, get.version());
        assertTrue(get.body().contains("\"bodyBytes\":0"), get.body());
        assertTrue(!get.body().contains("transfer-encoding"), get.body());
    }

    @Test
    void aBodyOverOneMebibyteIsA413Envelope() {
        Issued key = TestKeys.active(pool, "pro", "read,write");
        byte[] body = new byte[1024 * 1024 + 1];
        Response response = given().header("X-API-Key", key.key()).contentType("application/octet-stream").body(body)
                .post("/api/v1/upload");
        response.then().statusCode(413).body("error.code", equalTo("PAYLOAD_TOO_LARGE"))
                .body("meta.requestId", notNullValue());
        // exactly the limit is fine
        given().header("X-API-Key", key.key()).contentType("application/octet-stream").body(new byte[1024 * 1024])
                .post("/api/v1/upload").then().statusCode(200).body("bodyBytes", equalTo(1024 * 1024));
    }

    @Test
    void aHeaderOver16KIsA431() throws IOException {
        // raw socket: the HTTP clients refuse or split such headers themselves
        try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1/things HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(17 * 1024)
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 431", statusLine);
        }
        // and a header just under the limit still passes
        given().header("X-Forwarded-For", TestKeys.uniqueIp()).header("X-Big", "a".repeat(15 * 1024))
                .get("/api/v1/things").then().statusCode(200);
    }
}
