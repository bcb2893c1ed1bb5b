package dev.scalableapi.gateway.accounts;

import dev.scalableapi.common.identity.Identity;
import dev.scalableapi.gateway.pipeline.Exchange;
import dev.scalableapi.gateway.ratelimit.RateLimitEnforcement;
import dev.scalableapi.gateway.ratelimit.RateLimitTarget;
import dev.scalableapi.gateway.ratelimit.TierPolicies;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Both login routes and the set-password route (a token guess is as much an attack as a password guess) are
 * limited per client address like any anonymous call — the same limiter, subject and tier
 * as an anonymous proxied request from that address, so the two share one budget — before the body is read and
 * before the login throttle or bcrypt is reached. Refusals and headers are the limiter's own (429
 * {@code RATE_LIMIT_EXCEEDED} with {@code Retry-After}, {@code X-RateLimit-*}).
 */
public class LoginRateLimitFilter {

    static final Set<String> LOGIN_ROUTES = Set.of("/api/v1/auth/login", "/api/v1/admin/login",
            "/api/v1/auth/password");

    private final RateLimitEnforcement rateLimit;
    private final TierPolicies tiers;

    LoginRateLimitFilter(RateLimitEnforcement rateLimit, TierPolicies tiers) {
        this.rateLimit = rateLimit;
        this.tiers = tiers;
    }

    @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION)
    public Uni<Response> limit(RoutingContext rc) {
        if (!LOGIN_ROUTES.contains(rc.normalizedPath())) {
            return Uni.createFrom().nullItem();
        }
        RateLimitTarget target = RateLimitTarget.of(Identity.anonymous(), null, null, Exchange.of(rc).clientNetwork(),
                tiers);
        return Uni.createFrom().completionStage(() -> rateLimit.enforce(rc, target).toCompletionStage())
                .replaceWith((Response) null);
    }
}
