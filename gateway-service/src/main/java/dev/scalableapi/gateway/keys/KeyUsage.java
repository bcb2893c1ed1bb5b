package dev.scalableapi.gateway.keys;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;

/**
 * A key's usage from {@code key_usage_hourly}: the last 24 hours hour by hour and the last 30 days day by day
 * (UTC), zero-filled so charts need no gaps logic.
 */
@RegisterForReflection
public record KeyUsage(long keyId, Instant lastUsedAt, Totals last24Hours, List<Bucket> hourly,
        List<Bucket> daily) {

    @RegisterForReflection
    public record Bucket(Instant start, long requests, long rateLimited, long errors) {
    }

    @RegisterForReflection
    public record Totals(long requests, long rateLimited, long errors) {
    }
}
