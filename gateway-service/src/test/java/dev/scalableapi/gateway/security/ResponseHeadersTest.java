package dev.scalableapi.gateway.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scalableapi.gateway.support.EchoUpstreamResource;
import dev.scalableapi.gateway.support.TestKeys;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * What every gateway response carries: the hardening headers (proxied answers and the gateway's own errors alike),
 * a single X-Request-ID even when the upstream echoes one, and gzip for a large JSON body when the client accepts it.
 */
@QuarkusTest
@TestProfile(ResponseHeadersTest.WithUpstream.class)
class ResponseHeadersTest {

    public static class WithUpstream implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(EchoUpstreamResource.class));
        }
    }

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void proxiedResponsesCarryTheSecurityHeadersAndOneRequestId() {
        Response response = given().header("X-Forwarded-For", TestKeys.uniqueIp()).header("X-Request-ID", "rh-proxied-1")
                .get("/api/v1/things");
        response.then().statusCode(200).body("server", equalTo("live-0"));
        assertSecurityHeaders(response);
        assertEquals(List.of("rh-proxied-1"), response.headers().getValues("X-Request-ID"));
    }

    @Test
    void hstsOnlyWhenTheTrustedProxySaysTheClientUsedTls() {
        // The test client connects from loopback, a trusted proxy in the test profile.
        given().header("X-Forwarded-For", TestKeys.uniqueIp()).header("X-Forwarded-Proto", "https")
                .get("/api/v1/things").then().header("Strict-Transport-Security", equalTo("max-age=31536000; includeSubDomains"));
        given().header("X-Forwarded-For", TestKeys.uniqueIp())
                .get("/api/v1/things").then().header("Strict-Transport-Security", nullValue());
    }

    @Test
    void errorResponsesCarryThemToo() {
        Response refused = given().header("X-Forwarded-For", TestKeys.uniqueIp()).body("{}").post("/api/v1/things");
        refused.then().statusCode(401);
        assertSecurityHeaders(refused);
        assertEquals(1, refused.headers().getValues("X-Request-ID").size());

        Response notFound = given().get("/nope");
        notFound.then().statusCode(404);
        assertSecurityHeaders(notFound);
        assertEquals(1, notFound.headers().getValues("X-Request-ID").size());

        Response tooLarge = given().header("X-Forwarded-For", TestKeys.uniqueIp()).body(new byte[1024 * 1024 + 10])
                .post("/api/v1/things");
        tooLarge.then().statusCode(413);
        assertSecurityHeaders(tooLarge);
    }

    @Test
    void aLargeJsonBodyFromTheUpstreamIsGzippedForAClientThatAcceptsIt() throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "api/v1/things?upstream=big"))
                .header("Accept-Encoding", "gzip").header("X-Forwarded-For", TestKeys.uniqueIp()).build();
        HttpResponse<byte[]> zipped = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, zipped.statusCode());
        assertEquals("gzip", zipped.headers().firstValue("Content-Encoding").orElse("none"));
        String json;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
            json = new String(in.readAllBytes());
        }
        assertThat(json, org.hamcrest.Matchers.containsString("\"item number 1999\""));
        assertThat(zipped.body().length, lessThan(json.length() / 4));
        zipped.headers().firstValue("Content-Length").ifPresent(length ->
                assertEquals(zipped.body().length, Integer.parseInt(length), "Content-Length of the zipped body"));

        // a client that does not ask for gzip gets the plain body
        HttpResponse<String> plain = client.send(HttpRequest.newBuilder(request.uri())
                .header("X-Forwarded-For", TestKeys.uniqueIp()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, plain.statusCode());
        assertThat(plain.headers().firstValue("Content-Encoding").orElse("identity"), not(equalTo("gzip")));
        assertEquals(json, plain.body());
    }

    @Test
    void aBodyIsNeverCompressedTwice() throws IOException, InterruptedException {
        // the upstream compresses for whoever asks; over HTTP/2 Netty would gzip an already gzipped body again
        for (HttpClient.Version version : List.of(HttpClient.Version.HTTP_2, HttpClient.Version.HTTP_1_1)) {
            HttpClient client = HttpClient.newBuilder().version(version).build();
            for (int i = 0; i < 2; i++) { // the first HTTP/2 request is an h2c upgrade, the second real HTTP/2
                HttpResponse<byte[]> response = client.send(
                        HttpRequest.newBuilder(URI.create(gateway + "api/v1/things?upstream=gzipped"))
                                .header("Accept-Encoding", "gzip").header("X-Forwarded-For", TestKeys.uniqueIp())
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, response.statusCode());
                assertEquals(List.of("gzip"), response.headers().allValues("Content-Encoding"));
                try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
                    assertThat(response.version() + " request " + i, new String(in.readAllBytes()),
                            org.hamcrest.Matchers.startsWith("{\"server\":\"live-0\""));
                }
            }
        }
    }

    @Test
    void headRequestsAreProxiedWithoutABody() {
        Response response = given().header("X-Forwarded-For", TestKeys.uniqueIp()).head("/api/v1/things");
        response.then().statusCode(200);
        assertSecurityHeaders(response);
        assertEquals("", response.asString());
        assertEquals(1, response.headers().getValues("X-Request-ID").size());
    }

    private static void assertSecurityHeaders(Response response) {
        response.then().header("X-Content-Type-Options", "nosniff").header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer").header("Cross-Origin-Resource-Policy", "same-origin")
                .header("Content-Security-Policy", equalTo("default-src 'self'; script-src 'self'; style-src 'self'; "
                        + "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
                        + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"));
    }
}
