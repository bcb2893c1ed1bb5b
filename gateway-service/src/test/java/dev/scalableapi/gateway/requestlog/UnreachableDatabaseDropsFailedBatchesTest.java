package dev.scalableapi.gateway.requestlog;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL unreachable: each batch is tried a bounded number of times and then dropped and counted, the queue
 * never holds more than its capacity, and offering never blocks.
 */
class UnreachableDatabaseDropsFailedBatchesTest {

    static final int CAPACITY = 20;
    static final int BATCH = 5;
    static final int ATTEMPTS = 2;

    private Vertx vertx;
    private Pool pool;
    private MeterRegistry registry;
    private RequestLogQueue queue;
    private RequestLogWriter writer;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        // Port 1 on loopback: connection refused at once.
        pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1))
                .connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(1).setDatabase("none")
                        .setUser("none").setPassword("none").setConnectTimeout(500))
                .using(vertx).build();
        registry = new SimpleMeterRegistry();
        RequestLogConfig config = new TestConfig();
        RequestLogMetrics metrics = new RequestLogMetrics(registry);
        queue = new RequestLogQueue(config, metrics);
        writer = new RequestLogWriter(vertx.getDelegate(), pool, queue, config, metrics);
        writer.start(null);
    }

    @AfterEach
    void stop() {
        writer.stop(null);
        pool.closeAndAwait();
        vertx.closeAndAwait();
    }

    @Test
    void failedBatchesAreRetriedThenDroppedAndTheQueueStaysBounded() {
        // offering never waits for the database: 200 records, a queue of 20, a writer that cannot write
        for (int i = 0; i < 200; i++) {
            queue.offer(record(i));
            assertThat(queue.size(), lessThanOrEqualTo(CAPACITY));
        }

        await().atMost(Duration.ofSeconds(20))
                .until(() -> dropped("write_failed") >= 2 * BATCH);
        assertThat(dropped("write_failed") % BATCH, equalTo(0.0)); // whole batches, after all their attempts
        assertThat(dropped("queue_full"), greaterThan(0.0));
        assertThat(registry.get(RequestLogMetrics.WRITTEN).counter().count(), equalTo(0.0));
        // Every failed attempt was timed (before its batch was counted as dropped).
        long droppedBatches = (long) (dropped("write_failed") / BATCH);
        assertThat(registry.get(RequestLogMetrics.BATCH).timer().count(),
                greaterThanOrEqualTo(droppedBatches * ATTEMPTS));
    }

    private double dropped(String reason) {
        return registry.get(RequestLogMetrics.DROPPED).tag("reason", reason).counter().count();
    }

    private static RequestLogRecord record(int i) {
        return new RequestLogRecord("down-" + i, Instant.now(), "GET", "/x", "/x", 200, 1f, 7L, 1L, "127.0.0.1",
                "gateway-test", null, null);
    }

    /** Small queue, fast ticks, two attempts per batch, short shutdown. */
    static final class TestConfig implements RequestLogConfig {
        public boolean enabled() {
            return true;
        }

        public int capacity() {
            return CAPACITY;
        }

        public double sampleRate() {
            return 1.0;
        }

        public int batchSize() {
            return BATCH;
        }

        public Duration flushInterval() {
            return Duration.ofMillis(50);
        }

        public int writeAttempts() {
            return ATTEMPTS;
        }

        public Duration writeTimeout() {
            return Duration.ofSeconds(2);
        }

        public Duration shutdownTimeout() {
            return Duration.ofMillis(500);
        }

        public int partitionsAhead() {
            return 2;
        }

        public Duration retention() {
            return Duration.ofDays(7);
        }

        public Duration usageRetention() {
            return Duration.ofDays(90);
        }

        public Duration maintenanceInterval() {
            return Duration.ofHours(1);
        }

        public Duration maintenanceLockTimeout() {
            return Duration.ofSeconds(5);
        }
    }
}
