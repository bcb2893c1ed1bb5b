package dev.scalableapi.gateway.ratelimit;

import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import dev.scalableapi.gateway.ratelimit.RateLimitDecision.Mode;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * The one place where a rate-limit decision becomes HTTP, for every limited route (proxied and admin): it asks
 * the limiter, writes the headers (before the route's own answer, so they survive proxying) and refuses with the
 * error envelope: 429 {@code QUOTA_EXCEEDED} (a day or month quota is spent) or {@code RATE_LIMIT_EXCEEDED} (a
 * shorter window) with {@code Retry-After} until every refusing policy admits again, or in fail-closed mode, when Redis is out, 503
 * {@code SERVICE_UNAVAILABLE}. In fail-open mode nothing was counted, so no headers.
 */
@ApplicationScoped
public class RateLimitEnforcement {

    private final GatewayRateLimiter limiter;
    private final boolean enabled;

    RateLimitEnforcement(GatewayRateLimiter limiter, RateLimitConfig config) {
        this.limiter = limiter;
        this.enabled = config.enabled();
    }

    /**
     * Succeeds when the request may go on; fails with the {@link ApiException} to answer otherwise. Completes on
     * the caller's context and thread (no hop back).
     */
    public Future<Void> enforce(RoutingContext rc, RateLimitTarget target) {
        if (!enabled) {
            return Future.succeededFuture();
        }
        return limiter.isAllowed(target.subject(), target.tier(), target.policies()).compose(decision -> {
            if (decision.mode() == Mode.FAIL_CLOSED) {
                return Future.failedFuture(new ApiException(ErrorCode.SERVICE_UNAVAILABLE,
                        "Rate limiting is unavailable; try again shortly", Map.of(), decision.retryAfterSeconds()));
            }
            HttpServerResponse response = rc.response();
            if (decision.mode() != Mode.FAIL_OPEN && !response.headWritten()) {
                RateLimitHeaders.write(response, decision);
            }
            if (decision.allowed()) {
                return Future.succeededFuture();
            }
            return Future.failedFuture(refusal(decision));
        });
    }

    /** A spent day or month quota is QUOTA_EXCEEDED (retrying soon does not help); a shorter window's refusal not. */
    private static ApiException refusal(RateLimitDecision decision) {
        RateLimitPolicies policies = decision.policies();
        int refusing = decision.reported();
        String limit = decision.limit(refusing) + " requests per " + policies.window(refusing).id()
                + " ('" + policies.name(refusing) + "')";
        if (decision.quotaExceeded()) {
            return new ApiException(ErrorCode.QUOTA_EXCEEDED, "Quota of " + limit + " used up; it renews in "
                    + decision.retryAfterSeconds() + " s", Map.of(), decision.retryAfterSeconds());
        }
        return new ApiException(ErrorCode.RATE_LIMIT_EXCEEDED, "Rate limit of " + limit + " exceeded",
                Map.of(), decision.retryAfterSeconds());
    }
}
