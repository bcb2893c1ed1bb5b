package dev.scalableapi.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Seconds-long smoke of the harness's generator against a local server that stalls once. */
class OpenModelLoadSmokeTest {

    private Vertx vertx;
    private HttpServer server;
    private final AtomicLong stallUntil = new AtomicLong();
    private final LongAdder served = new LongAdder();

    @BeforeEach
    void startServer() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(request -> {
            served.increment();
            long wait = (stallUntil.get() - System.nanoTime()) / 1_000_000;
            if (wait > 0) {
                vertx.setTimer(wait, t -> request.response().end("ok"));
            } else {
                request.response().putHeader("X-Cache", "HIT-L1").end("ok");
            }
        });
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void sendsAtTheFixedRateAndChargesAStallToEveryRequestDueDuringIt() {
        OpenModelLoad load = new OpenModelLoad(vertx);
        OpenModelLoad.Settings settings = OpenModelLoad.Settings.of(Target.local(server.actualPort()), Map.of(), 500,
                Duration.ofSeconds(2));
        vertx.setTimer(800, t -> stallUntil.set(System.nanoTime() + 100_000_000L));

        LongAdder chargedTheStall = new LongAdder();
        LoadResult result = load.run("smoke", Workloads.cachedGet(10), settings, outcome -> {
            if (outcome.latencyNanos() >= 50_000_000L) {
                chargedTheStall.increment();
            }
        });

        assertEquals(1000, result.sent(), "2 s at 500/s");
        assertEquals(1000, served.sum());
        assertEquals(1000, result.ok());
        assertEquals(0, result.errors());
        // ~50 requests were due during the 100 ms stall, the first ~25 of them 50 ms or more before it ended: an open
        // model charges each its wait from when it was due (a closed loop would have sent only the few already in
        // flight, and the tail would look clean). Only lower bounds here: a busy machine can add latency to any
        // request, so an upper bound on timing would fail at random (timings belong in bench reports).
        assertTrue(chargedTheStall.sum() >= 20, chargedTheStall.sum() + " requests charged 50 ms or more");
        assertTrue(result.p99() >= 50, "p99 " + result.p99() + " hides the stall");
        assertTrue(result.max() >= 80, "max " + result.max());
    }

    @Test
    void countsRefusedConnectionsAsErrors() {
        OpenModelLoad load = new OpenModelLoad(vertx);
        OpenModelLoad.Settings settings = OpenModelLoad.Settings.of(Target.local(1), Map.of(), 100,
                Duration.ofMillis(500));

        LoadResult result = load.run("refused", Workloads.cachedGet(10), settings, outcome -> { });

        assertEquals(50, result.sent());
        assertEquals(50, result.errors());
        assertEquals(Map.of("connect-error", 50L), result.byStatus());
    }
}
