package dev.scalableapi.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.scalableapi.gateway.ratelimit.RateLimitDecision.Mode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The per-replica fallback: the same policies as the Redis script (sliding windows with the same sub-buckets, UTC
 * calendar days and months), in memory, each limit divided by the number of gateway replicas (asked per decision).
 * Exact for this replica only, so the whole fleet admits up to replicas × (limit / that number) while Redis is away.
 * As in Redis, a request is counted in every policy or in none.
 */
// Caffeine loads the classes of each cache shape by name (maximum size, expiry after access):
// a native image keeps only registered ones
@RegisterForReflection(classNames = {"com.github.benmanes.caffeine.cache.SSMSA",
        "com.github.benmanes.caffeine.cache.PSAMS"})
public class LocalRateLimiter {

    /** A subject idle this long has nothing left to remember: a calendar month is the longest period. */
    private static final Duration LONGEST_PERIOD = Duration.ofDays(32);

    private final IntSupplier replicas;
    private final LongSupplier clockMillis;
    private final Cache<String, Subject> subjects;

    public LocalRateLimiter(IntSupplier replicas, long maxSubjects, LongSupplier clockMillis) {
        this.replicas = replicas;
        this.clockMillis = clockMillis;
        this.subjects = Caffeine.newBuilder()
                .maximumSize(maxSubjects)
                .expireAfterAccess(LONGEST_PERIOD)
                .executor(Runnable::run) // every decision while Redis is away reads it (see TierPolicies)
                .build();
    }

    /** This replica's share of a limit while Redis is away. */
    public long localLimit(long limit) {
        return Math.max(1, -Math.floorDiv(-limit, (long) Math.max(1, replicas.getAsInt())));
    }

    public RateLimitDecision acquire(String subject, String tier, RateLimitPolicies policies) {
        int n = policies.size();
        long[] limits = new long[n];
        for (int i = 0; i < n; i++) {
            limits[i] = localLimit(policies.limit(i));
        }
        long now = clockMillis.getAsLong();
        long[] remaining = new long[n];
        long[] reset = new long[n];
        long[] retry = new long[n];
        boolean allowed = subjects.get(subject, s -> new Subject()).acquire(now, policies, limits, remaining, reset,
                retry);
        return RateLimitDecision.of(allowed, tier, policies, now, limits, remaining, reset, retry, Mode.LOCAL);
    }

    /** One subject's counters, by policy (window and name, as the Redis keys). */
    private static final class Subject {
        private final Map<String, Counter> counters = new HashMap<>();

        synchronized boolean acquire(long now, RateLimitPolicies policies, long[] limits, long[] remaining,
                long[] reset, long[] retry) {
            int n = policies.size();
            Counter[] mine = new Counter[n];
            long[] used = new long[n];
            boolean allowed = true;
            for (int i = 0; i < n; i++) {
                int policy = i;
                mine[i] = counters.computeIfAbsent(policies.keySuffix(i), k -> policies.window(policy).isCalendar()
                        ? new Period() : new Buckets(policies.windowMillis(policy), policies.stepMillis(policy)));
                used[i] = mine[i].used(now, policies.window(i));
                allowed &= used[i] < limits[i];
            }
            for (int i = 0; i < n; i++) {
                if (allowed) {
                    mine[i].add(now, policies.window(i));
                    used[i]++;
                } else if (used[i] >= limits[i]) {
                    retry[i] = mine[i].retryMillis(now, used[i], limits[i], policies.window(i));
                }
                remaining[i] = limits[i] - used[i];
                reset[i] = mine[i].resetMillis(now, policies.window(i));
            }
            return allowed;
        }
    }

    private interface Counter {
        long used(long now, PolicyWindow window);

        void add(long now, PolicyWindow window);

        long retryMillis(long now, long used, long limit, PolicyWindow window);

        long resetMillis(long now, PolicyWindow window);
    }

    /** A UTC day or month: one count for the current period. */
    private static final class Period implements Counter {
        private long period = Long.MIN_VALUE;
        private long count;

        @Override
        public long used(long now, PolicyWindow window) {
            return period == periodOf(now, window) ? count : 0;
        }

        @Override
        public void add(long now, PolicyWindow window) {
            long current = periodOf(now, window);
            if (period != current) {
                period = current;
                count = 0;
            }
            count++;
        }

        @Override
        public long retryMillis(long now, long used, long limit, PolicyWindow window) {
            return resetMillis(now, window) - now;
        }

        @Override
        public long resetMillis(long now, PolicyWindow window) {
            LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(now, DAY_MILLIS));
            LocalDate next = window == PolicyWindow.DAY ? day.plusDays(1) : day.withDayOfMonth(1).plusMonths(1);
            return next.toEpochDay() * DAY_MILLIS;
        }

        private static long periodOf(long now, PolicyWindow window) {
            long day = Math.floorDiv(now, DAY_MILLIS);
            if (window == PolicyWindow.DAY) {
                return day;
            }
            LocalDate date = LocalDate.ofEpochDay(day);
            return date.getYear() * 12L + date.getMonthValue();
        }

        private static final long DAY_MILLIS = 86_400_000L;
    }

    /** A sliding window as a ring of (bucket index, count) pairs: at most steps + 1 live buckets. */
    private static final class Buckets implements Counter {
        private final long step;
        private final int n;
        private final long[] ids;
        private final long[] counts;

        Buckets(long windowMillis, long stepMillis) {
            step = stepMillis;
            n = (int) (windowMillis / stepMillis);
            ids = new long[n + 1];
            counts = new long[n + 1];
            Arrays.fill(ids, Long.MIN_VALUE);
        }

        @Override
        public long used(long now, PolicyWindow window) {
            long current = Math.floorDiv(now, step);
            long oldest = current - n;
            long used = 0;
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] >= oldest && ids[i] <= current) {
                    used += counts[i];
                }
            }
            return used;
        }

        @Override
        public void add(long now, PolicyWindow window) {
            long current = Math.floorDiv(now, step);
            int slot = (int) Math.floorMod(current, (long) ids.length);
            if (ids[slot] != current) {
                ids[slot] = current;
                counts[slot] = 0;
            }
            counts[slot]++;
        }

        /** Walks the live buckets oldest first until enough have left the window to admit one request. */
        @Override
        public long retryMillis(long now, long used, long limit, PolicyWindow window) {
            long current = Math.floorDiv(now, step);
            long freed = 0;
            for (long bucket = current - n; bucket <= current; bucket++) {
                int slot = (int) Math.floorMod(bucket, (long) ids.length);
                if (ids[slot] == bucket) {
                    freed += counts[slot];
                    if (used - freed < limit) {
                        return (bucket + n + 1) * step - now;
                    }
                }
            }
            return n * step;
        }

        /** When the oldest counted request leaves the window (a full window from now when nothing is counted). */
        @Override
        public long resetMillis(long now, PolicyWindow window) {
            long current = Math.floorDiv(now, step);
            for (long bucket = current - n; bucket <= current; bucket++) {
                int slot = (int) Math.floorMod(bucket, (long) ids.length);
                if (ids[slot] == bucket && counts[slot] > 0) {
                    return (bucket + n + 1) * step;
                }
            }
            return now + n * step;
        }
    }
}
