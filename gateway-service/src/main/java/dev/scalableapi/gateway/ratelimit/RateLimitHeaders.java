package dev.scalableapi.gateway.ratelimit;

import io.vertx.core.http.HttpServerResponse;

/**
 * Writes a decision's headers: the IETF draft's {@code RateLimit-Policy} (every policy of the caller, prepared once
 * per list) and {@code RateLimit} (the policy closest to exhaustion, or the refusing one), and the de-facto
 * {@code X-RateLimit-Limit/-Remaining/-Reset} trio clients read, which keep meaning the minute policy (the policy
 * {@code RateLimit} reports when the caller has none). Its own unit, as Envoy's {@code ratelimit_headers}: what is
 * counted and how it is shown change for different reasons.
 */
public final class RateLimitHeaders {

    private RateLimitHeaders() {
    }

    public static void write(HttpServerResponse response, RateLimitDecision d) {
        RateLimitPolicies policies = d.policies();
        int minute = policies.minuteIndex() >= 0 ? policies.minuteIndex() : d.reported();
        response.putHeader("X-RateLimit-Limit", Long.toString(d.limit(minute)));
        response.putHeader("X-RateLimit-Remaining", Long.toString(d.remaining(minute)));
        response.putHeader("X-RateLimit-Reset", Long.toString(d.resetEpochSeconds(minute)));
        response.putHeader("RateLimit-Policy", d.ownLimits() ? policies.policyHeader() : sharesHeader(d));
        int reported = d.reported();
        long t = d.resetAfterSeconds(reported);
        if (!policies.window(reported).isCalendar()) {
            // Bucket rounding can put the oldest request's exit up to one bucket past the window; t never exceeds w.
            t = Math.min(t, policies.headerSeconds(reported));
        }
        response.putHeader("RateLimit", "\"" + policies.name(reported) + "\";r=" + d.remaining(reported) + ";t=" + t);
    }

    /** The local fallback enforces shares of the limits: the header says what is enforced (outages only). */
    private static String sharesHeader(RateLimitDecision d) {
        RateLimitPolicies policies = d.policies();
        StringBuilder header = new StringBuilder();
        for (int i = 0; i < policies.size(); i++) {
            if (i > 0) {
                header.append(", ");
            }
            header.append('"').append(policies.name(i)).append("\";q=").append(d.limit(i)).append(";w=")
                    .append(policies.headerSeconds(i));
        }
        return header.toString();
    }
}
