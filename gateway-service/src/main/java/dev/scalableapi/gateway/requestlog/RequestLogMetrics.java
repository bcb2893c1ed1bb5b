package dev.scalableapi.gateway.requestlog;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/**
 * The request log's own meters (Prometheus names): {@code gateway_requestlog_queue_depth},
 * {@code gateway_requestlog_dropped_total{reason=queue_full|write_failed|invalid_row}},
 * {@code gateway_requestlog_written_total}, {@code gateway_requestlog_sampled_out_total},
 * {@code gateway_requestlog_batch_seconds}.
 */
@ApplicationScoped
public class RequestLogMetrics {

    public static final String DROPPED = "gateway.requestlog.dropped";
    public static final String WRITTEN = "gateway.requestlog.written";
    public static final String QUEUE_DEPTH = "gateway.requestlog.queue.depth";
    public static final String BATCH = "gateway.requestlog.batch";
    public static final String SAMPLED_OUT = "gateway.requestlog.sampled.out";

    private final MeterRegistry registry;
    private final Counter droppedQueueFull;
    private final Counter droppedWriteFailed;
    private final Counter droppedInvalidRow;
    private final Counter written;
    private final Counter sampledOut;
    private final Timer batch;

    RequestLogMetrics(MeterRegistry registry) {
        this.registry = registry;
        droppedQueueFull = Counter.builder(DROPPED).tag("reason", "queue_full")
                .description("Request log entries (rows or sampled-out usage) dropped because the queue was full")
                .register(registry);
        droppedWriteFailed = Counter.builder(DROPPED).tag("reason", "write_failed")
                .description("Request log entries dropped after their batch failed every write attempt")
                .register(registry);
        droppedInvalidRow = Counter.builder(DROPPED).tag("reason", "invalid_row")
                .description("Request log rows PostgreSQL refused (their batch and usage were written without them)")
                .register(registry);
        written = Counter.builder(WRITTEN).description("Request log rows written to PostgreSQL")
                .register(registry);
        sampledOut = Counter.builder(SAMPLED_OUT)
                .description("Successful requests whose request log row was not stored because of the sample rate")
                .register(registry);
        batch = Timer.builder(BATCH).description("Duration of one request log batch write (successful or not)")
                .register(registry);
    }

    void queueDepth(Supplier<Number> depth) {
        Gauge.builder(QUEUE_DEPTH, depth).description("Request log entries waiting to be written")
                .strongReference(true).register(registry);
    }

    void droppedQueueFull() {
        droppedQueueFull.increment();
    }

    void droppedWriteFailed(int records) {
        droppedWriteFailed.increment(records);
    }

    void droppedInvalidRows(int rows) {
        droppedInvalidRow.increment(rows);
    }

    void sampledOut() {
        sampledOut.increment();
    }

    void written(int records) {
        written.increment(records);
    }

    Timer batch() {
        return batch;
    }
}
