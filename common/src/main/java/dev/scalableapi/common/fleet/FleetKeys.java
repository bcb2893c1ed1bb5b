package dev.scalableapi.common.fleet;

import java.time.Duration;

/**
 * Where replicas publish their per-interval snapshots in Redis, so the gateway's admin API can merge the whole
 * fleet: one sorted set per service, scored by the interval's start (epoch seconds), one member per replica and
 * interval. Replicas trim what is older than the retention as they publish.
 *
 * @param prefix e.g. {@code scalable-api:fleet:} (configurable, shared by every service of one installation)
 */
public record FleetKeys(String prefix) {

    public String gatewaySnapshots() {
        return prefix + "gateway";
    }

    public String apiSnapshots() {
        return prefix + "api";
    }

    /**
     * Sorted set of gateway replicas by their last heartbeat (epoch millis), one member per replica: how many
     * gateways are alive, for the rate limiter's fallback while Redis is down.
     */
    public String gatewayHeartbeats() {
        return prefix + "gateway:heartbeats";
    }

    /**
     * Hash of gateway counters per hour, fields {@code <hour epoch seconds>:<counter>}: the 24-hour totals in one
     * read instead of 24 hours of snapshots. Publishers delete fields older than a day.
     */
    public String gatewayHours() {
        return prefix + "gateway:hours";
    }

    /** Sorted set of rate-limited subjects ({@code key:42}, {@code ip:…}) by 429s in one hour. */
    public String blockedHour(long hourEpochSeconds) {
        return prefix + "gateway:blocked:" + hourEpochSeconds;
    }

    /**
     * The interval a snapshot published at {@code nowMillis} is filed under (epoch seconds): the one holding the
     * middle of the interval just recorded, so every service files the same moment under the same start.
     */
    public static long intervalStart(long nowMillis, Duration interval) {
        long seconds = Math.max(1, interval.toSeconds());
        return Math.floorDiv(nowMillis - interval.toMillis() / 2, seconds * 1000) * seconds;
    }

    /** Pub/sub channel that tells every api replica to reset one of its circuit breakers. */
    public String breakerResets() {
        return prefix + "breaker-resets";
    }
}
