package dev.scalableapi.gateway.ratelimit;

import io.vertx.core.http.HttpServerResponse;

/**
 * Writes a decision's headers: {@code X-RateLimit-Limit/-Remaining/-Reset} (the de-facto trio clients read) and
 * the IETF draft's {@code RateLimit-Policy} and {@code RateLimit}. Its own unit, as Envoy's
 * {@code ratelimit_headers}: what is counted and how it is shown change for different reasons.
 */
public final class RateLimitHeaders {

    private RateLimitHeaders() {
    }

    public static void write(HttpServerResponse response, RateLimitDecision d) {
        response.putHeader("X-RateLimit-Limit", Long.toString(d.limit()));
        response.putHeader("X-RateLimit-Remaining", Long.toString(d.remaining()));
        response.putHeader("X-RateLimit-Reset", Long.toString(d.resetEpochSeconds()));
        response.putHeader("RateLimit-Policy", "\"" + d.policy() + "\";q=" + d.limit() + ";w=" + d.windowSeconds());
        // Bucket rounding can put the oldest request's exit up to one bucket past the window; t never exceeds w.
        long t = Math.min(d.resetAfterSeconds(), d.windowSeconds());
        response.putHeader("RateLimit", "\"" + d.policy() + "\";r=" + d.remaining() + ";t=" + t);
    }
}
