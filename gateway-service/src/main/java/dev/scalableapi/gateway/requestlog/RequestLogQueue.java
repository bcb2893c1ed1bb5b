package dev.scalableapi.gateway.requestlog;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Bounded hand-off between request threads and the writer. {@link #offer} never waits: when the queue is full
 * the entry (a row, or a sampled-out request's usage) is dropped and counted ({@code reason=queue_full}). Memory is
 * bounded by the capacity plus the one batch the writer holds.
 */
@ApplicationScoped
public class RequestLogQueue {

    private final BlockingQueue<RequestLogEntry> entries;
    private final RequestLogMetrics metrics;
    private final int batchSize;
    private volatile Runnable onBatchReady = () -> {
    };

    RequestLogQueue(RequestLogConfig config, RequestLogMetrics metrics) {
        this.entries = new ArrayBlockingQueue<>(Math.max(1, config.capacity()));
        this.metrics = metrics;
        this.batchSize = Math.max(1, config.batchSize());
        metrics.queueDepth(entries::size);
    }

    /** Queues an entry, or drops it when full. Never blocks, never throws. */
    public boolean offer(RequestLogEntry entry) {
        if (!entries.offer(entry)) {
            metrics.droppedQueueFull();
            return false;
        }
        if (entries.size() >= batchSize) {
            onBatchReady.run();
        }
        return true;
    }

    /** Takes up to {@code max} entries, oldest first. */
    List<RequestLogEntry> drain(int max) {
        List<RequestLogEntry> batch = new ArrayList<>(Math.min(max, entries.size()));
        entries.drainTo(batch, max);
        return batch;
    }

    int size() {
        return entries.size();
    }

    /** The writer's wake-up call, run (cheaply, on the request's thread) whenever a full batch is waiting. */
    void onBatchReady(Runnable callback) {
        this.onBatchReady = callback;
    }
}
