package dev.scalableapi.bench.limiter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The limiter step of bench/run, briefly, against the test Redis: it runs on the bench's own class path (the gateway's
 * limiter classes and what they use from common), which once lacked a class and ended a 15-minute run at its last step.
 */
class LimiterBenchmarkSmokeTest {

    @Test
    void decidesAgainstRedisWithoutFailures() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            int port = Integer.parseInt(System.getenv().getOrDefault("REDIS_PORT", "6379"));
            LimiterBenchmark.Result result = LimiterBenchmark.run(vertx, port, 4, Duration.ofMillis(300), 200,
                    Duration.ofMillis(300));
            assertEquals(0, result.failures());
            assertTrue(result.decisionsPerSecond() > 0, "decisions were made: " + result);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }
}
