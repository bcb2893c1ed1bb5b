package dev.scalableapi.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.gateway.support.TestKeys;
import dev.scalableapi.gateway.support.WithEchoUpstream;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The first-byte timeout counts from the end of the request body: a client that uploads for longer than the timeout
 * (the balancer rightly silent meanwhile) is not cut off with a 504 (issue 14, point 12).
 */
@QuarkusTest
@TestProfile(SlowUploadsAreNotCutOffTest.ShortFirstByteTimeout.class)
class SlowUploadsAreNotCutOffTest {

    public static class ShortFirstByteTimeout extends WithEchoUpstream {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.upstream.first-byte-timeout", "1s");
        }
    }

    @Inject
    Pool pool;

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void anUploadLongerThanTheFirstByteTimeoutIsProxiedWhole() throws Exception {
        String key = TestKeys.active(pool, "pro", "read,write").key();
        String chunk = "{\"n\":\"" + "x".repeat(24) + "\"}"; // 32 bytes
        try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/things HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + key
                    + "\r\nX-Forwarded-For: " + TestKeys.uniqueIp() + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + 3 * chunk.length() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            // the client itself is slow: three parts, 2.4 s in all, against a first-byte timeout of 1 s
            for (int part = 0; part < 3; part++) {
                Thread.sleep(800);
                out.write(chunk.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            assertTrue(response.contains("\"bodyBytes\":" + 3 * chunk.length()), response);
        }
    }
}
