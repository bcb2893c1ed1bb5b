package dev.scalableapi.gateway.requestlog;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Bounded hand-off between request threads and the writer. {@link #offer} never waits: when the queue is full
 * the record is dropped and counted ({@code reason=queue_full}). Memory is bounded by the capacity plus the one
 * batch the writer holds.
 */
@ApplicationScoped
public class RequestLogQueue {

    private final BlockingQueue<RequestLogRecord> records;
    private final RequestLogMetrics metrics;
    private final int batchSize;
    private volatile Runnable onBatchReady = () -> {
    };

    RequestLogQueue(RequestLogConfig config, RequestLogMetrics metrics) {
        this.records = new ArrayBlockingQueue<>(Math.max(1, config.capacity()));
        this.metrics = metrics;
        this.batchSize = Math.max(1, config.batchSize());
        metrics.queueDepth(records::size);
    }

    /** Queues a record, or drops it when full. Never blocks, never throws. */
    public boolean offer(RequestLogRecord record) {
        if (!records.offer(record)) {
            metrics.droppedQueueFull();
            return false;
        }
        if (records.size() >= batchSize) {
            onBatchReady.run();
        }
        return true;
    }

    /** Takes up to {@code max} records, oldest first. */
    List<RequestLogRecord> drain(int max) {
        List<RequestLogRecord> batch = new ArrayList<>(Math.min(max, records.size()));
        records.drainTo(batch, max);
        return batch;
    }

    int size() {
        return records.size();
    }

    /** The writer's wake-up call, run (cheaply, on the request's thread) whenever a full batch is waiting. */
    void onBatchReady(Runnable callback) {
        this.onBatchReady = callback;
    }
}
