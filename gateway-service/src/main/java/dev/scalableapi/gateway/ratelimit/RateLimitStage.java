package dev.scalableapi.gateway.ratelimit;

import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import dev.scalableapi.gateway.pipeline.EdgeErrors;
import dev.scalableapi.gateway.pipeline.Exchange;
import dev.scalableapi.gateway.ratelimit.RateLimitDecision.Mode;
import dev.scalableapi.gateway.ratelimit.RateLimitTarget.TierLimits;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * Asks the limiter about each request and turns its decision into HTTP: the rate-limit headers on the
 * response (set before the next stage, so they survive proxying), or a 429 {@code RATE_LIMIT_EXCEEDED} with
 * {@code Retry-After} through the common error envelope. In fail-closed mode a Redis outage is a 503
 * {@code SERVICE_UNAVAILABLE} with {@code Retry-After}; in fail-open mode nothing was counted, so no headers.
 */
@ApplicationScoped
public class RateLimitStage implements Handler<RoutingContext> {

    /** Routing-context key under which later stages and the request log find the decision. */
    public static final String DECISION = "scalable-api.ratelimit.decision";

    private final GatewayRateLimiter limiter;
    private final TierLimits limits;
    private final EdgeErrors errors;
    private final boolean enabled;

    RateLimitStage(GatewayRateLimiter limiter, TierLimits limits, EdgeErrors errors, RateLimitConfig config) {
        this.limiter = limiter;
        this.limits = limits;
        this.errors = errors;
        this.enabled = config.enabled();
    }

    @Override
    public void handle(RoutingContext rc) {
        if (!enabled) {
            rc.next();
            return;
        }
        Exchange exchange = Exchange.of(rc);
        RateLimitTarget target = RateLimitTarget.of(exchange.identity(), exchange.rateLimitPerMinute(),
                exchange.clientIp(), limits);
        exchange.rateLimitSubject(target.subject());
        // The decision completes on this request's context, on this thread: no hop back.
        limiter.isAllowed(target.subject(), target.tier(), target.limit()).onComplete(decided -> {
            if (decided.succeeded()) {
                apply(rc, decided.result());
            } else {
                rc.fail(decided.cause());
            }
        });
    }

    private void apply(RoutingContext rc, RateLimitDecision decision) {
        rc.put(DECISION, decision);
        HttpServerResponse response = rc.response();
        if (response.closed() || response.ended()) {
            return;
        }
        if (decision.mode() == Mode.FAIL_CLOSED) {
            errors.reject(rc, new ApiException(ErrorCode.SERVICE_UNAVAILABLE,
                    "Rate limiting is unavailable; try again shortly", Map.of(), decision.retryAfterSeconds()));
            return;
        }
        if (decision.mode() != Mode.FAIL_OPEN) {
            writeHeaders(response, decision);
        }
        if (decision.allowed()) {
            rc.next();
        } else {
            errors.reject(rc, new ApiException(ErrorCode.RATE_LIMIT_EXCEEDED,
                    "Rate limit of " + decision.limit() + " requests per " + decision.windowSeconds()
                            + " s exceeded for tier '" + decision.policy() + "'",
                    Map.of(), decision.retryAfterSeconds()));
        }
    }

    public static void writeHeaders(HttpServerResponse response, RateLimitDecision d) {
        response.putHeader("X-RateLimit-Limit", Long.toString(d.limit()));
        response.putHeader("X-RateLimit-Remaining", Long.toString(d.remaining()));
        response.putHeader("X-RateLimit-Reset", Long.toString(d.resetEpochSeconds()));
        response.putHeader("RateLimit-Policy", "\"" + d.policy() + "\";q=" + d.limit() + ";w=" + d.windowSeconds());
        // Bucket rounding can put the oldest request's exit up to one bucket past the window; t never exceeds w.
        long t = Math.min(d.resetAfterSeconds(), d.windowSeconds());
        response.putHeader("RateLimit", "\"" + d.policy() + "\";r=" + d.remaining() + ";t=" + t);
    }
}
