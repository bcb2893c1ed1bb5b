package dev.scalableapi.systemtests.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scalableapi.systemtests.support.Envelope;
import dev.scalableapi.systemtests.support.RawHttp;
import dev.scalableapi.systemtests.support.RawHttp.Request;
import dev.scalableapi.systemtests.support.ServiceJar;
import dev.scalableapi.systemtests.support.SystemStack;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * At least 10,000 generated malformed requests at the gateway (through balancer and api-service, all packaged
 * jars): none may get a 5xx, every error must be the brief's envelope with a stable code, no service may die or
 * keep the memory, and what is stored is stored literally.
 */
class MalformedRequestsFuzzIT {

    static final int MALFORMED_REQUESTS = 10_000;
    /** Live heap a service may gain over the whole run: caches fill up to their bounds, nothing more. */
    static final long HEAP_GROWTH_LIMIT = 48L * 1024 * 1024;

    /** What the HTTP server answers on its own to requests it cannot parse or route. */
    static final Set<Integer> PROTOCOL_REJECTIONS = Set.of(400, 404, 414, 431);

    private static final AtomicLong MALFORMED_SENT = new AtomicLong();
    private static final AtomicLong PROTOCOL_REJECTED = new AtomicLong();
    private static SystemStack stack;
    private static RawHttp http;
    private static SystemStack.Key writer;
    private static final Map<ServiceJar, Long> HEAP_BEFORE = new HashMap<>();

    @BeforeContainer
    static void startStackAndMeasureHeap() throws Exception {
        stack = SystemStack.shared();
        http = stack.client();
        writer = stack.key("pro", "read,write", 100_000_000);
        for (int i = 0; i < 300; i++) {
            http.send(Request.of("POST", "/api/v1/resources",
                    "{\"name\":\"warm-up\",\"type\":\"doc\"}".getBytes(StandardCharsets.UTF_8),
                    "X-API-Key", writer.value(), "Content-Type", "application/json"));
            http.send(Request.of("GET", "/api/v1/resources/" + (1 + i % 50), null));
        }
        for (ServiceJar service : stack.services()) {
            HEAP_BEFORE.put(service, service.heapAfterGc());
        }
    }

    @Property(tries = MALFORMED_REQUESTS, shrinking = ShrinkingMode.BOUNDED)
    void malformedRequestsGetTheEnvelopeAndNever5xx(@ForAll("malformed") Attack attack) {
        MALFORMED_SENT.incrementAndGet();
        RawHttp.Response response = http.send(attack.request());
        String context = attack.kind() + ": " + attack.request().describe();
        assertNotEquals(0, response.status(), () -> "connection closed without a response for " + context);
        assertTrue(response.status() < 500, () -> response.status() + " for " + context + ": " + response.body());
        if (response.header("X-Request-ID") == null) {
            // Refused by the HTTP server itself before any of the gateway's code ran (request line or headers
            // too long, a target Quarkus will not route): no envelope there yet, but nothing leaks either.
            assertTrue(PROTOCOL_REJECTIONS.contains(response.status()), () -> response.status()
                    + " without a request id for " + context);
            assertTrue(response.body().isEmpty(), () -> "protocol-level refusal with a body for " + context);
            PROTOCOL_REJECTED.incrementAndGet();
        } else if (response.status() >= 400 && !attack.request().method().equals("HEAD")) {
            Envelope.assertError(response, context);
        }
        if (attack.expectedStatus() != 0) {
            assertEquals(attack.expectedStatus(), response.status(), () -> context + ": " + response.body());
        }
    }

    @Property(tries = 300, shrinking = ShrinkingMode.BOUNDED)
    void storedTextRoundTripsLiterally(@ForAll("storedText") String text) throws Exception {
        String name = ("n" + text).substring(0, Math.min(200, text.length() + 1));
        String body = Envelope.JSON.writeValueAsString(Map.of("name", name, "type", "doc", "description", text));
        RawHttp.Response created = http.send(Request.of("POST", "/api/v1/resources",
                body.getBytes(StandardCharsets.UTF_8), "X-API-Key", writer.value(),
                "Content-Type", "application/json"));
        assertEquals(201, created.status(), created::body);
        long id = Envelope.JSON.readTree(created.body()).path("data").path("id").asLong();
        RawHttp.Response read = http.send(Request.of("GET", "/api/v1/resources/" + id, null,
                "X-API-Key", writer.value()));
        assertEquals(200, read.status(), read::body);
        JsonNode data = Envelope.JSON.readTree(read.body()).path("data");
        assertEquals(name, data.path("name").asText());
        assertEquals(text, data.path("description").asText());
    }

    @AfterContainer
    static void everyServiceSurvivedWithoutLeaking() throws Exception {
        assertTrue(MALFORMED_SENT.get() >= MALFORMED_REQUESTS,
                "only " + MALFORMED_SENT.get() + " malformed requests were sent");
        System.out.printf("%d malformed requests sent, %d refused by the HTTP server before the gateway's code%n",
                MALFORMED_SENT.get(), PROTOCOL_REJECTED.get());
        for (ServiceJar service : stack.services()) {
            assertTrue(service.alive(), "a service died during the fuzz run");
            long growth = service.heapAfterGc() - HEAP_BEFORE.get(service);
            assertTrue(growth < HEAP_GROWTH_LIMIT, "live heap grew by " + growth / 1024 / 1024 + " MiB");
        }
    }

    @Provide
    Arbitrary<Attack> malformed() {
        return MalformedRequests.all(writer.value());
    }

    @Provide
    Arbitrary<String> storedText() {
        return Arbitraries.oneOf(
                Arbitraries.of(MalformedRequests.INJECTIONS),
                Arbitraries.strings().withCharRange('\u0001', '\uD7FF').withCharRange('\uE000', '\uFFFD')
                        .ofMinLength(1).ofMaxLength(300),
                Combinators.combine(Arbitraries.of(MalformedRequests.INJECTIONS),
                        Arbitraries.strings().alpha().numeric().ofMaxLength(20)).as((a, b) -> a + b));
    }
}
