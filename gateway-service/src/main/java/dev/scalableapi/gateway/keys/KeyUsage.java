package dev.scalableapi.gateway.keys;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;

/**
 * A key's usage. From {@code key_usage_hourly}: the last 24 hours hour by hour, the last 30 days and the current
 * UTC month day by day, zero-filled so charts need no gaps logic. From the rate limiter's own counters: what the
 * current period of each of the key's policies has used.
 *
 * @param thisMonth         the current UTC calendar month, from its 1st to today
 * @param policiesFrom      {@code key} when the key has its own policies, {@code tier} when it has its tier's
 * @param countersAvailable false when the limiter's Redis could not be read: then each policy shows its limit but
 *                          {@code used}, {@code remaining} and {@code resetAt} are null (a replica's local fallback
 *                          counts only its own share, not the key's real state)
 * @param policies          every policy the key's next request must pass, in the order of {@code RateLimit-Policy}
 */
@RegisterForReflection
public record KeyUsage(long keyId, Instant lastUsedAt, Totals last24Hours, List<Bucket> hourly,
        List<Bucket> daily, Month thisMonth, String policiesFrom, boolean countersAvailable,
        List<PolicyUsage> policies) {

    @RegisterForReflection
    public record Bucket(Instant start, long requests, long rateLimited, long errors) {
    }

    @RegisterForReflection
    public record Totals(long requests, long rateLimited, long errors) {
    }

    /** A UTC month so far: its totals and one bucket per day from the 1st to today. */
    @RegisterForReflection
    public record Month(Instant start, long requests, long rateLimited, long errors, List<Bucket> daily) {
    }

    /**
     * One policy's current period: a sliding window's last {@code windowSeconds}, or the UTC day or month.
     *
     * @param used    requests counted in the period (at most {@code limit}: refused requests are not counted)
     * @param resetAt when capacity starts coming back: a calendar period's end, or when a sliding window's oldest
     *                counted request leaves it; null for a sliding window that holds nothing
     */
    @RegisterForReflection
    public record PolicyUsage(String name, String window, long windowSeconds, long limit, Long used,
            Long remaining, Instant resetAt) {
    }

    /** The database's part, before the limiter's counters are added. */
    public record Traffic(long keyId, Instant lastUsedAt, Totals last24Hours, List<Bucket> hourly, List<Bucket> daily,
            Month thisMonth) {

        KeyUsage with(KeyPolicyUsage.Counted policies) {
            return new KeyUsage(keyId, lastUsedAt, last24Hours, hourly, daily, thisMonth, policies.from(),
                    policies.available(), policies.policies());
        }
    }
}
