package dev.scalableapi.gateway.shedding;

import java.util.Arrays;

/**
 * The smallest value recorded over roughly the last {@code horizon}: a ring of buckets, the oldest emptied as time
 * moves on, so the minimum can rise again when what it measures changed for good. Time moves on only through
 * {@link #forgetOlderThanHorizon(long)}, which lets a caller hold the minimum where it is. Not thread-safe: one
 * thread at a time (the limit's window closer) uses it.
 */
final class WindowedMinimum {

    private static final int BUCKETS = 4;

    private final long bucketNanos;
    private final long[] minima = new long[BUCKETS];
    private int current;
    private long currentSince;

    WindowedMinimum(long horizonNanos, long nowNanos) {
        this.bucketNanos = Math.max(1, horizonNanos / BUCKETS);
        this.currentSince = nowNanos;
        Arrays.fill(minima, Long.MAX_VALUE);
    }

    /** Forgets everything but {@code value}. */
    void restartWith(long value) {
        Arrays.fill(minima, Long.MAX_VALUE);
        minima[current] = value;
    }

    void record(long value) {
        minima[current] = Math.min(minima[current], value);
    }

    /** {@link Long#MAX_VALUE} while nothing is remembered. */
    long minimum() {
        long minimum = Long.MAX_VALUE;
        for (long bucket : minima) {
            minimum = Math.min(minimum, bucket);
        }
        return minimum;
    }

    void forgetOlderThanHorizon(long nowNanos) {
        long steps = Math.min(BUCKETS, (nowNanos - currentSince) / bucketNanos);
        for (long i = 0; i < steps; i++) {
            current = (current + 1) % BUCKETS;
            minima[current] = Long.MAX_VALUE;
        }
        if (steps > 0) {
            currentSince = nowNanos;
        }
    }
}
