package dev.scalableapi.balancer.retry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the memory that request bodies held for a possible re-send take together: each one is at most
 * {@link RetryConfig#maxReplayableBody()}, but a thousand of them in flight would be a gigabyte. A body that does not
 * fit streams instead, and is then not replayable (Envoy's retry buffer limit does the same). Exported as
 * {@code balancer_replay_buffer_bytes} and {@code balancer_replay_buffer_refusals_total}.
 */
@ApplicationScoped
public class ReplayBuffers {

    private final long capacity;
    private final AtomicLong reserved = new AtomicLong();
    private final Counter refusals;

    @Inject
    ReplayBuffers(RetryConfig config, MeterRegistry registry) {
        this(config.maxReplayBuffers().asLongValue(), registry);
    }

    ReplayBuffers(long capacity, MeterRegistry registry) {
        this.capacity = capacity;
        Gauge.builder("balancer.replay.buffer.bytes", reserved, AtomicLong::get).baseUnit("bytes").register(registry);
        refusals = Counter.builder("balancer.replay.buffer.refusals").register(registry);
    }

    /** Reserves room for a body of this many bytes; the caller must {@link #release(long)} it if granted. */
    public boolean tryReserve(long bytes) {
        while (true) {
            long now = reserved.get();
            if (now + bytes > capacity) {
                refusals.increment();
                return false;
            }
            if (reserved.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    public void release(long bytes) {
        reserved.addAndGet(-bytes);
    }

    public long reserved() {
        return reserved.get();
    }
}
