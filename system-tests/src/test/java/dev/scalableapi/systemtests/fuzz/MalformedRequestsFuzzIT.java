package dev.scalableapi.systemtests.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scalableapi.systemtests.support.Envelope;
import dev.scalableapi.systemtests.support.LiveHeap;
import dev.scalableapi.systemtests.support.RawHttp;
import dev.scalableapi.systemtests.support.RawHttp.Request;
import dev.scalableapi.systemtests.support.SystemStack;
import dev.scalableapi.testsupport.PackagedJar;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * At least 10,000 generated malformed requests at the gateway (through balancer and api-service, all packaged
 * jars): none may get a 5xx, every error must be the brief's envelope with a stable code, no service may die or
 * keep the memory, and what is stored is stored literally.
 *
 * <p>Inputs come from {@link MalformedRequests}, each built from its own generator derived from the run's seed and
 * its index ({@link Gen}), so a failure names the seed and index that rebuild it. They are sent in batches of
 * {@value #BATCH} (one dynamic test each, so a report stays readable at 100,000 inputs); a batch sends all its inputs
 * even after one failed and reports how many failed, of which kinds, and the first one in full. Counts and seed:
 * {@link FuzzRun}.
 */
class MalformedRequestsFuzzIT {

    /** Live heap a service may gain over the whole run: caches fill up to their bounds, nothing more. */
    static final long HEAP_GROWTH_LIMIT = 48L * 1024 * 1024;
    static final int BATCH = 500;
    /** Inputs of each sequence are derived from (seed, sequence, index): the two properties draw independently. */
    static final long MALFORMED_SEQUENCE = 1;
    static final long STORED_TEXT_SEQUENCE = 2;

    /**
     * What the HTTP server still answers on its own, without the envelope: requests its codec cannot parse at all
     * (header syntax, control characters). Long request lines and headers (414, 431) and a target that is not a
     * valid URI or not a path (400) carry the envelope.
     */
    static final Set<Integer> PROTOCOL_REJECTIONS = Set.of(400);

    private static final FuzzRun RUN = FuzzRun.fromSystemProperties();
    /** 300 stored texts in the CI run, more when more inputs are asked for. */
    private static final int STORED_TEXTS = Math.max(300, RUN.inputs() * 3 / 100);

    private static final AtomicLong MALFORMED_SENT = new AtomicLong();
    private static final AtomicLong PROTOCOL_REJECTED = new AtomicLong();
    /** Per kind: how many were sent, which statuses came back, the slowest answer (and its index, to replay it). */
    private static final Map<String, KindStats> STATS = new TreeMap<>();
    private static SystemStack stack;
    private static RawHttp http;
    private static SystemStack.Key writer;
    private static MalformedRequests requests;
    private static final Map<PackagedJar, Long> HEAP_BEFORE = new HashMap<>();

    @BeforeAll
    static void startStackAndMeasureHeap() throws Exception {
        System.out.printf("fuzz: seed %d, %d malformed requests, %d stored texts%s; replay one input with"
                + " ./mvnw -pl system-tests verify -Dit.test=MalformedRequestsFuzzIT %s%n", RUN.seed(),
                RUN.index().isPresent() ? 1 : RUN.inputs(), RUN.index().isPresent() ? 1 : STORED_TEXTS,
                RUN.includeKnownDefects() ? ", known defects included" : "", RUN.replay("<index>"));
        if (!RUN.includeKnownDefects()) {
            MalformedRequests.catalogue().forEach(family -> family.variants().stream()
                    .filter(v -> v.knownDefect() != null)
                    .forEach(v -> System.out.printf("fuzz: left out (-Dfuzz.knownDefects=include adds it): %s / %s — %s%n",
                            family.name(), v.name(), v.knownDefect())));
        }
        stack = SystemStack.shared();
        http = stack.client();
        writer = stack.key("pro", "read,write", 100_000_000);
        requests = new MalformedRequests(writer.value(), RUN.includeKnownDefects(), RUN.familyFilter());
        for (int i = 0; i < 300; i++) {
            http.send(Request.of("POST", "/api/v1/resources",
                    "{\"name\":\"warm-up\",\"type\":\"doc\"}".getBytes(StandardCharsets.UTF_8),
                    "X-API-Key", writer.value(), "Content-Type", "application/json"));
            http.send(Request.of("GET", "/api/v1/resources/" + (1 + i % 50), null));
        }
        for (PackagedJar service : stack.services()) {
            HEAP_BEFORE.put(service, LiveHeap.afterFullGc(service));
        }
    }

    @TestFactory
    Stream<DynamicTest> malformedRequestsGetTheEnvelopeAndNever5xx() {
        return batches(RUN.inputs(), "malformed requests", index -> {
            Attack attack = requests.generate(Gen.forInput(RUN.seed(), MALFORMED_SEQUENCE, index));
            return new Input(attack.kind(), attack.request().describe(), () -> send(attack, index));
        });
    }

    @TestFactory
    Stream<DynamicTest> storedTextRoundTripsLiterally() {
        return batches(STORED_TEXTS, "stored texts", index -> {
            String text = StoredTexts.generate(Gen.forInput(RUN.seed(), STORED_TEXT_SEQUENCE, index));
            return new Input("stored text", "text " + abbreviate(Envelope.JSON.valueToTree(text).toString()),
                    () -> storeAndReadBack(text));
        });
    }

    @AfterAll
    static void everyServiceSurvivedWithoutLeaking() throws Exception {
        System.out.printf("fuzz: %d malformed requests sent (seed %d), %d refused by the HTTP server before the"
                + " gateway's code%n", MALFORMED_SENT.get(), RUN.seed(), PROTOCOL_REJECTED.get());
        STATS.forEach((kind, stats) -> System.out.printf("fuzz:   %-75s %6d  slowest %5d ms (index %d)  %s%n", kind,
                stats.sent, stats.slowestMillis, stats.slowestIndex, stats.statuses));
        if (RUN.index().isEmpty()) {
            assertTrue(MALFORMED_SENT.get() >= RUN.inputs(),
                    "only " + MALFORMED_SENT.get() + " of " + RUN.inputs() + " malformed requests were sent");
        }
        for (PackagedJar service : stack.services()) {
            assertTrue(service.alive(), "a service died during the fuzz run");
            long growth = LiveHeap.afterFullGc(service) - HEAP_BEFORE.get(service);
            assertTrue(growth < HEAP_GROWTH_LIMIT, "live heap grew by " + growth / 1024 / 1024 + " MiB");
        }
    }

    private static void send(Attack attack, long index) {
        MALFORMED_SENT.incrementAndGet();
        long started = System.nanoTime();
        RawHttp.Response response = http.send(attack.request());
        STATS.computeIfAbsent(attack.kind(), k -> new KindStats())
                .record(response.status(), (System.nanoTime() - started) / 1_000_000, index);
        String context = attack.kind() + ": " + attack.request().describe();
        assertNotEquals(0, response.status(), () -> "connection closed without a response for " + context);
        assertTrue(response.status() < 500, () -> response.status() + " for " + context + ": " + response.body());
        if (response.header("X-Request-ID") == null) {
            // Refused by the HTTP server itself before any of the gateway's code ran: no envelope there, but nothing
            // leaks either.
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

    private static void storeAndReadBack(String text) throws Exception {
        String name = StoredTexts.nameFor(text);
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

    // ---- batching

    /** One generated input: what to call it in a failure message, and the check to run. */
    private record Input(String kind, String description, Check check) {
    }

    @FunctionalInterface
    private interface Check {
        void run() throws Exception;
    }

    /** A dynamic test per {@value #BATCH} inputs of a sequence of {@code count}, each input built when its batch runs. */
    private static Stream<DynamicTest> batches(int count, String what, LongFunction<Input> input) {
        long[] indices = RUN.indices(count).toArray();
        List<DynamicTest> tests = new ArrayList<>();
        for (int from = 0; from < indices.length; from += BATCH) {
            long[] batch = java.util.Arrays.copyOfRange(indices, from, Math.min(indices.length, from + BATCH));
            String name = String.format("%s %d–%d of %d, seed %d", what, batch[0], batch[batch.length - 1],
                    count, RUN.seed());
            tests.add(DynamicTest.dynamicTest(name, () -> runBatch(batch, input)));
        }
        return tests.stream();
    }

    /** Runs every input of the batch, then fails once if any failed, naming seed and index of each kind's first. */
    private static void runBatch(long[] batch, LongFunction<Input> generate) {
        Map<String, String> firstFailureByKind = new LinkedHashMap<>();
        Map<String, Integer> failuresByKind = new LinkedHashMap<>();
        Throwable firstCause = null;
        String firstReport = null;
        for (long index : batch) {
            Input input = null;
            try {
                input = generate.apply(index);
                input.check().run();
            } catch (Exception | AssertionError e) {
                String kind = input == null ? "(the generator itself)" : input.kind();
                failuresByKind.merge(kind, 1, Integer::sum);
                firstFailureByKind.putIfAbsent(kind, "-Dfuzz.index=" + index + ": " + abbreviate(String.valueOf(
                        e.getMessage()).lines().findFirst().orElse("")));
                if (firstCause == null) {
                    firstCause = e;
                    firstReport = "input " + index + " of seed " + RUN.seed() + " (replay: "
                            + RUN.replay(Long.toString(index)) + ") — " + kind + ": "
                            + (input == null ? "" : input.description()) + "\n  " + e;
                }
            }
        }
        if (firstCause != null) {
            String perKind = failuresByKind.entrySet().stream()
                    .map(e -> e.getValue() + "× " + e.getKey() + ", first " + firstFailureByKind.get(e.getKey()))
                    .collect(Collectors.joining("\n  "));
            throw new AssertionError(failuresByKind.values().stream().mapToInt(Integer::intValue).sum() + " of "
                    + batch.length + " inputs failed (seed " + RUN.seed() + "):\n  " + perKind + "\nfirst failure: "
                    + firstReport, firstCause);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…(" + text.length() + " chars)";
    }

    private static final class KindStats {
        long sent;
        long slowestMillis = -1;
        long slowestIndex;
        final Map<Integer, Integer> statuses = new TreeMap<>();

        void record(int status, long millis, long index) {
            sent++;
            if (millis > slowestMillis) {
                slowestMillis = millis;
                slowestIndex = index;
            }
            statuses.merge(status, 1, Integer::sum);
        }
    }
}
