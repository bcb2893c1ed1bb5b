package dev.scalableapi.gateway.ratelimit;

import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.gateway.pipeline.EdgeErrors;
import dev.scalableapi.gateway.pipeline.Exchange;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/** Stage 4: the proxied request's rate limit, counted against its key, user or client address. */
@ApplicationScoped
public class RateLimitStage implements Handler<RoutingContext> {

    private final RateLimitEnforcement enforcement;
    private final TierPolicies tiers;
    private final EdgeErrors errors;

    RateLimitStage(RateLimitEnforcement enforcement, TierPolicies tiers, EdgeErrors errors) {
        this.enforcement = enforcement;
        this.tiers = tiers;
        this.errors = errors;
    }

    @Override
    public void handle(RoutingContext rc) {
        Exchange exchange = Exchange.of(rc);
        RateLimitTarget target = RateLimitTarget.of(exchange.identity(), exchange.keyLimits(),
                exchange.rateLimitPerMinute(), exchange.clientNetwork(), tiers);
        exchange.rateLimitSubject(target.subject());
        enforcement.enforce(rc, target).onComplete(decided -> {
            HttpServerResponse response = rc.response();
            if (response.closed() || response.ended()) {
                return;
            }
            if (decided.succeeded()) {
                rc.next();
            } else if (decided.cause() instanceof ApiException refusal) {
                errors.reject(rc, refusal);
            } else {
                rc.fail(decided.cause());
            }
        });
    }
}
