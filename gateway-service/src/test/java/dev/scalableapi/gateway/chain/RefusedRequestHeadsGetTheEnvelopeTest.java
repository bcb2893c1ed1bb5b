package dev.scalableapi.gateway.chain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.gateway.support.WithEchoUpstream;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Requests refused for their head — a target that is not ASCII, not a valid URI or not a path, a request line or
 * headers over the limits — get the error envelope with a request id, like every other refusal, and are never proxied. (Found by the
 * system tests' fuzzer: these used to be bare statuses from the HTTP server or the balancer.)
 */
@QuarkusTest
@TestProfile(WithEchoUpstream.class)
class RefusedRequestHeadsGetTheEnvelopeTest {

    private static final Pattern REQUEST_ID = Pattern.compile("(?im)^X-Request-ID: [A-Za-z0-9._-]+$");

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void rawNonAsciiBytesInPathOrQueryGetInvalidParameter() throws Exception {
        for (byte[] target : List.of(bytes("/api/v1/things/", 0xC0, 0xAF), bytes("/api/v1/things?type=", 0xFF))) {
            assertRefused(send("GET", target, ""), 400, "INVALID_PARAMETER");
        }
    }

    @Test
    void anInvalidTargetGetsMalformedRequest() throws Exception {
        for (String target : List.of("/api/v1/things/%", "/api/v1/things/%G1", "/api/v1/%%", "/api/v1/things?q=%",
                "/api/v1/things/{id}")) {
            assertRefused(send("GET", ascii(target), ""), 400, "MALFORMED_REQUEST");
        }
    }

    @Test
    void anAsteriskTargetGetsMalformedRequest() throws Exception {
        assertRefused(send("OPTIONS", ascii("*"), ""), 400, "MALFORMED_REQUEST");
    }

    @Test
    void aRequestLineOverFourKibibytesGetsUriTooLong() throws Exception {
        assertRefused(send("GET", ascii("/api/v1/things?q=" + "q".repeat(4_100)), ""), 414, "URI_TOO_LONG");
        String justUnder = send("GET", ascii("/api/v1/things?q=" + "q".repeat(3_900)), "");
        assertTrue(justUnder.startsWith("HTTP/1.1 200"), justUnder);
    }

    @Test
    void headersOverSixteenKibibytesGetHeadersTooLarge() throws Exception {
        assertRefused(send("GET", ascii("/api/v1/things"), "X-Padding: " + "p".repeat(17_000) + "\r\n"), 431,
                "HEADERS_TOO_LARGE");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 1_000; i++) {
            many.append("X-H").append(i).append(": ").append("v".repeat(16)).append("\r\n");
        }
        assertRefused(send("GET", ascii("/api/v1/things"), many.toString()), 431, "HEADERS_TOO_LARGE");
        String justUnder = send("GET", ascii("/api/v1/things"), "X-Padding: " + "p".repeat(15_000) + "\r\n");
        assertTrue(justUnder.startsWith("HTTP/1.1 200"), justUnder);
    }

    @Test
    void asciiTargetsAreStillProxied() throws Exception {
        String response = send("GET", ascii("/api/v1/things?name=%C3%A9"), "");
        assertTrue(response.startsWith("HTTP/1.1 200"), response);
    }

    private static void assertRefused(String response, int status, String code) {
        assertTrue(response.startsWith("HTTP/1.1 " + status), response);
        assertTrue(response.contains("\"code\":\"" + code + "\""), response);
        assertTrue(REQUEST_ID.matcher(response).find(), "no request id: " + response);
        assertFalse(response.contains("\"server\":\"live-0\""), "proxied anyway: " + response);
    }

    private String send(String method, byte[] target, String extraHeaders) throws Exception {
        try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes((method + " ").getBytes(StandardCharsets.US_ASCII));
            request.writeBytes(target);
            request.writeBytes((" HTTP/1.1\r\nHost: localhost\r\n" + extraHeaders + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(request.toByteArray());
            try (InputStream in = socket.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
        }
    }

    private static byte[] ascii(String target) {
        return target.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] bytes(String prefix, int... raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii(prefix));
        for (int b : raw) {
            out.write(b);
        }
        return out.toByteArray();
    }
}
