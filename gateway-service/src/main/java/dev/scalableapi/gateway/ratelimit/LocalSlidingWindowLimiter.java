package dev.scalableapi.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.scalableapi.gateway.ratelimit.RateLimitDecision.Mode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Duration;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The per-replica fallback: the same sliding window as the Redis script, in memory, with the limit divided by the
 * number of gateway replicas (asked per decision). Exact for this replica only, so the whole fleet admits up to
 * replicas × (limit / that number) while Redis is away.
 */
// Caffeine loads the classes of each cache shape by name (maximum size, expiry after access):
// a native image keeps only registered ones
@RegisterForReflection(classNames = {"com.github.benmanes.caffeine.cache.SSMSA",
        "com.github.benmanes.caffeine.cache.PSAMS"})
public class LocalSlidingWindowLimiter {

    private final SlidingWindow window;
    private final IntSupplier replicas;
    private final LongSupplier clockMillis;
    private final Cache<String, Buckets> subjects;

    public LocalSlidingWindowLimiter(SlidingWindow window, IntSupplier replicas, long maxSubjects,
            LongSupplier clockMillis) {
        this.window = window;
        this.replicas = replicas;
        this.clockMillis = clockMillis;
        this.subjects = Caffeine.newBuilder()
                .maximumSize(maxSubjects)
                .expireAfterAccess(Duration.ofMillis(window.windowMillis() + window.stepMillis()))
                .build();
    }

    /** This replica's share of a limit while Redis is away. */
    public long localLimit(long limit) {
        return Math.max(1, -Math.floorDiv(-limit, (long) Math.max(1, replicas.getAsInt())));
    }

    public RateLimitDecision acquire(String subject, String policy, long limit) {
        long local = localLimit(limit);
        Buckets buckets = subjects.get(subject, s -> new Buckets(window.steps() + 1));
        return buckets.acquire(clockMillis.getAsLong(), local, window, policy);
    }

    /** A ring of (bucket index, count) pairs: at most steps + 1 live buckets. */
    private static final class Buckets {
        private final long[] ids;
        private final long[] counts;

        Buckets(int size) {
            ids = new long[size];
            counts = new long[size];
            java.util.Arrays.fill(ids, Long.MIN_VALUE);
        }

        synchronized RateLimitDecision acquire(long now, long limit, SlidingWindow window, String policy) {
            long step = window.stepMillis();
            int n = window.steps();
            long current = Math.floorDiv(now, step);
            long oldest = current - n;
            long used = 0;
            long oldestLive = Long.MAX_VALUE;
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] >= oldest && ids[i] <= current && counts[i] > 0) {
                    used += counts[i];
                    oldestLive = Math.min(oldestLive, ids[i]);
                }
            }
            boolean allowed = used < limit;
            long retry = 0;
            if (allowed) {
                int slot = (int) Math.floorMod(current, (long) ids.length);
                if (ids[slot] != current) {
                    ids[slot] = current;
                    counts[slot] = 0;
                }
                counts[slot]++;
                used++;
                oldestLive = Math.min(oldestLive, current);
            } else {
                retry = retryMillis(now, used, limit, oldest, current, n, step);
            }
            long reset = oldestLive == Long.MAX_VALUE ? now + window.windowMillis() : (oldestLive + n + 1) * step;
            return RateLimitDecision.of(allowed, limit, limit - used, now, reset, retry, window.windowMillis(),
                    policy, Mode.LOCAL);
        }

        /** Walks the live buckets oldest first until enough have left the window to admit one request. */
        private long retryMillis(long now, long used, long limit, long oldest, long current, int n, long step) {
            long freed = 0;
            for (long bucket = oldest; bucket <= current; bucket++) {
                int slot = (int) Math.floorMod(bucket, (long) ids.length);
                if (ids[slot] == bucket) {
                    freed += counts[slot];
                    if (used - freed < limit) {
                        return (bucket + n + 1) * step - now;
                    }
                }
            }
            return window(n, step);
        }

        private static long window(int n, long step) {
            return n * step;
        }
    }
}
