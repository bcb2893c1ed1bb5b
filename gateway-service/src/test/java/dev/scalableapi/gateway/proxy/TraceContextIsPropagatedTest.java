package dev.scalableapi.gateway.proxy;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalableapi.gateway.support.EchoUpstreamResource;
import dev.scalableapi.gateway.support.TestKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The gateway takes part in W3C trace context: the upstream hop carries the gateway as its parent. By default the
 * tracing SDK is off and the gateway writes the header itself; {@link TraceContextThroughTheTracingSdkTest} runs the same cases
 * with the SDK on, as operators who export traces run it.
 */
@QuarkusTest
@TestProfile(TraceContextIsPropagatedTest.WithUpstream.class)
class TraceContextIsPropagatedTest {

    public static class WithUpstream implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(EchoUpstreamResource.class));
        }
    }

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CLIENT_SPAN = "00f067aa0ba902b7";

    @Test
    void clientTraceContinuesThroughTheGatewaySpan() {
        String upstream = traceparentSeenUpstream(Map.of("traceparent", "00-" + TRACE_ID + "-" + CLIENT_SPAN + "-01"));
        String[] parts = upstream.split("-");
        assertEquals(TRACE_ID, parts[1], "same trace: " + upstream);
        assertNotEquals(CLIENT_SPAN, parts[2], "the parent is the gateway's own span, not the client's");
    }

    @Test
    void aTraceStartsAtTheGatewayWhenTheClientSendsNone() {
        String upstream = traceparentSeenUpstream(Map.of());
        assertTrue(upstream.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]"), upstream);
    }

    @Test
    void tracestateTravelsOnlyWithATraceItBelongsTo() {
        Map<String, String> valid = Map.of("traceparent", "00-" + TRACE_ID + "-" + CLIENT_SPAN + "-01",
                "tracestate", "vendor=abc");
        assertEquals(List.of("vendor=abc"), headersSeenUpstream(valid).get("tracestate"));
        Map<String, String> malformed = Map.of("traceparent", "00-not-a-trace", "tracestate", "vendor=abc");
        Map<String, List<String>> seen = headersSeenUpstream(malformed);
        assertNull(seen.get("tracestate"), "a new trace starts without the old state: " + seen);
        assertNotEquals("00-not-a-trace", seen.get("traceparent").get(0));
    }

    private static String traceparentSeenUpstream(Map<String, String> headers) {
        Map<String, List<String>> seen = headersSeenUpstream(headers);
        List<String> traceparent = seen.get("traceparent");
        assertEquals(1, traceparent == null ? 0 : traceparent.size(), "one traceparent upstream: " + seen);
        return traceparent.get(0);
    }

    private static Map<String, List<String>> headersSeenUpstream(Map<String, String> headers) {
        return given().headers(headers).header("X-Forwarded-For", TestKeys.uniqueIp())
                .get("/api/v1/whoami").then().statusCode(200).extract().jsonPath().getMap("headers");
    }
}
