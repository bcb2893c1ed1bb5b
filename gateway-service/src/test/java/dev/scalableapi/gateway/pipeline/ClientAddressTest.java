package dev.scalableapi.gateway.pipeline;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.gateway.support.EchoUpstreamResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Who the client is: {@code X-Forwarded-For} counts only when the TCP peer is a trusted proxy, and then the right-most
 * untrusted hop is the client. The unit cases build {@link ClientAddress} with a small config; the HTTP case runs the
 * gateway with a trusted-proxy range that does not include the loopback test client, so the chain the upstream
 * receives must start over at the peer.
 */
@QuarkusTest
@TestProfile(ClientAddressTest.LoopbackNotTrusted.class)
class ClientAddressTest {

    public static class LoopbackNotTrusted implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.trusted-proxies.cidrs", "10.0.0.0/8,fd00::/8");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(EchoUpstreamResource.class));
        }
    }

    private static ClientAddress trusting(String... cidrs) {
        TrustedProxiesConfig config = () -> Arrays.asList(cidrs);
        return new ClientAddress(config);
    }

    /** A routing context whose request comes from {@code peer} with the given X-Forwarded-For header lines. */
    private static RoutingContext from(String peer, String... forwardedFor) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (String line : forwardedFor) {
            headers.add("X-Forwarded-For", line);
        }
        HttpServerRequest request = (HttpServerRequest) Proxy.newProxyInstance(ClientAddressTest.class.getClassLoader(),
                new Class<?>[] {HttpServerRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "remoteAddress" -> peer == null ? null : SocketAddress.inetSocketAddress(40000, peer);
                    case "headers" -> headers;
                    case "getHeader" -> headers.get((String) args[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (RoutingContext) Proxy.newProxyInstance(ClientAddressTest.class.getClassLoader(),
                new Class<?>[] {RoutingContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "request" -> request;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static final ClientAddress DEFAULTS = trusting("127.0.0.1/32", "::1/128");

    @Test
    void trustedPeerRightMostUntrustedHopIsTheClient() {
        assertEquals("203.0.113.7", DEFAULTS.resolve(from("127.0.0.1", "203.0.113.7")));
        // the client wrote 1.2.3.4 itself; the proxy appended what it saw
        assertEquals("203.0.113.7", DEFAULTS.resolve(from("127.0.0.1", "1.2.3.4, 203.0.113.7")));
        // several header lines form one list
        assertEquals("203.0.113.8", DEFAULTS.resolve(from("127.0.0.1", "1.2.3.4", "203.0.113.8")));
        // trusted hops on the right are skipped
        ClientAddress chain = trusting("127.0.0.1/32", "10.0.0.0/8");
        assertEquals("198.51.100.1", chain.resolve(from("127.0.0.1", "6.6.6.6, 198.51.100.1, 10.1.2.3, 10.9.9.9")));
        // nothing but trusted hops: the left-most is the best we know
        assertEquals("10.1.2.3", chain.resolve(from("127.0.0.1", "10.1.2.3, 10.9.9.9")));
        // no header at all: the peer
        assertEquals("127.0.0.1", DEFAULTS.resolve(from("127.0.0.1")));
    }

    @Test
    void untrustedPeerHeaderIsIgnored() {
        assertEquals("192.0.2.50", DEFAULTS.resolve(from("192.0.2.50", "1.2.3.4")));
        assertEquals("192.0.2.50", DEFAULTS.resolve(from("192.0.2.50", "127.0.0.1")));
    }

    @Test
    void garbageInTheHeaderFallsBackToThePeer() {
        assertEquals("127.0.0.1", DEFAULTS.resolve(from("127.0.0.1", "not-an-ip")));
        assertEquals("127.0.0.1", DEFAULTS.resolve(from("127.0.0.1", "1.2.3.4, evil.example.com")));
        assertEquals("127.0.0.1", DEFAULTS.resolve(from("127.0.0.1", "1.2.3.4, unknown")));
        // a host name must never be resolved, nor a legacy short form taken for an address
        assertEquals("127.0.0.1", DEFAULTS.resolve(from("127.0.0.1", "1.2.3")));
        assertEquals("127.0.0.1", DEFAULTS.resolve(from("127.0.0.1", "1.2.3.4.5")));
        assertEquals("127.0.0.1", DEFAULTS.resolve(from("127.0.0.1", "0x7f.1")));
        assertEquals("127.0.0.1", DEFAULTS.resolve(from("127.0.0.1", "localhost")));
        // empty entries are skipped, not garbage
        assertEquals("203.0.113.7", DEFAULTS.resolve(from("127.0.0.1", " , 203.0.113.7,")));
    }

    @Test
    void ipv6PeersAndHops() {
        assertEquals("2001:db8::1", DEFAULTS.resolve(from("0:0:0:0:0:0:0:1", "2001:db8::1")));
        assertEquals("2001:db8::2", DEFAULTS.resolve(from("::1", "[2001:db8::2]")));
        ClientAddress v6 = trusting("2001:db8:aaaa::/48");
        assertEquals("2001:db8::9", v6.resolve(from("2001:db8:aaaa::5", "2001:db8::9, 2001:db8:aaaa:1::1")));
        assertEquals("2001:db8:bbbb::5", v6.resolve(from("2001:db8:bbbb::5", "2001:db8::9")));
        // an IPv4 range never matches an IPv6 address and vice versa
        assertFalse(trusting("0.0.0.0/0").isTrusted("::1"));
        assertFalse(trusting("::/0").isTrusted("127.0.0.1"));
    }

    @Test
    void cidrRanges() {
        ClientAddress ranges = trusting("10.0.0.0/8", "192.168.4.0/22", "172.16.0.5");
        assertTrue(ranges.isTrusted("10.255.255.255"));
        assertFalse(ranges.isTrusted("11.0.0.0"));
        assertTrue(ranges.isTrusted("192.168.7.200"));
        assertFalse(ranges.isTrusted("192.168.8.1"));
        assertFalse(ranges.isTrusted("192.168.3.255"));
        assertTrue(ranges.isTrusted("172.16.0.5"));
        assertFalse(ranges.isTrusted("172.16.0.6"));
        assertFalse(ranges.isTrusted("garbage"));
        assertTrue(trusting("0.0.0.0/0").isTrusted("8.8.8.8"));
        assertThrows(IllegalArgumentException.class, () -> trusting("proxy.internal/24"));
    }

    @Test
    void upstreamChainStartsOverAtAnUntrustedPeer() {
        Map<String, List<String>> upstream = given()
                .header("X-Forwarded-For", "6.6.6.6, 7.7.7.7")
                .header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "evil.example")
                .get("/api/v1/where").then().statusCode(200).extract().jsonPath().getMap("headers");
        List<String> chain = upstream.get("x-forwarded-for");
        assertEquals(1, chain.size(), "one X-Forwarded-For line: " + chain);
        assertTrue(List.of("127.0.0.1", "0:0:0:0:0:0:0:1").contains(chain.get(0)), "chain restarts at the peer: " + chain);
        assertEquals(List.of("http"), upstream.get("x-forwarded-proto"));
        assertFalse(upstream.get("x-forwarded-host").get(0).contains("evil"), "host " + upstream.get("x-forwarded-host"));
    }
}
