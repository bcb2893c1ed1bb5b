package dev.scalableapi.gateway.chain;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.gateway.support.EchoUpstreamResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Raw bytes outside ASCII in the request target (found by the system tests' fuzzer: they reached the balancer,
 * whose server answered a bare 400) are refused by the gateway with the error envelope, and never proxied.
 */
@QuarkusTest
@TestProfile(NonAsciiTargetGetsTheEnvelopeTest.WithUpstream.class)
class NonAsciiTargetGetsTheEnvelopeTest {

    public static class WithUpstream implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(EchoUpstreamResource.class));
        }
    }

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void rawNonAsciiBytesInPathOrQueryGetInvalidParameter() throws Exception {
        for (byte[] target : List.of(bytes("/api/v1/things/", 0xC0, 0xAF), bytes("/api/v1/things?type=", 0xFF))) {
            String response = send(target);
            assertTrue(response.startsWith("HTTP/1.1 400"), response);
            assertTrue(response.contains("\"code\":\"INVALID_PARAMETER\""), response);
            assertTrue(!response.contains("\"server\":\"live-0\""), "proxied anyway: " + response);
        }
    }

    @Test
    void asciiTargetsAreStillProxied() throws Exception {
        String response = send("/api/v1/things?name=%C3%A9".getBytes(StandardCharsets.US_ASCII));
        assertTrue(response.startsWith("HTTP/1.1 200"), response);
    }

    private String send(byte[] target) throws Exception {
        try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes("GET ".getBytes(StandardCharsets.US_ASCII));
            request.writeBytes(target);
            request.writeBytes(" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(request.toByteArray());
            try (InputStream in = socket.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
        }
    }

    private static byte[] bytes(String prefix, int... raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(prefix.getBytes(StandardCharsets.US_ASCII));
        for (int b : raw) {
            out.write(b);
        }
        return out.toByteArray();
    }
}
