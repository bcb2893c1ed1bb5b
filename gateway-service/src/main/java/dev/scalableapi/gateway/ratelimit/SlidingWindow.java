package dev.scalableapi.gateway.ratelimit;

import java.time.Duration;

/** The window's shape, shared by the Redis script and the in-memory fallback: length and sub-bucket step. */
public record SlidingWindow(long windowMillis, long stepMillis) {

    public SlidingWindow {
        if (windowMillis <= 0 || stepMillis <= 0 || windowMillis % stepMillis != 0) {
            throw new IllegalArgumentException("window must be a positive multiple of its step: "
                    + windowMillis + " / " + stepMillis);
        }
    }

    public static SlidingWindow of(Duration window, int buckets) {
        long millis = window.toMillis();
        if (buckets <= 0 || millis % buckets != 0) {
            throw new IllegalArgumentException("gateway.ratelimit.window (" + millis
                    + " ms) must split into gateway.ratelimit.buckets (" + buckets + ") whole milliseconds");
        }
        return new SlidingWindow(millis, millis / buckets);
    }

    /** Number of whole steps in the window; the guard counts this many past buckets plus the current one. */
    int steps() {
        return (int) (windowMillis / stepMillis);
    }
}
