package dev.scalableapi.gateway.ratelimit;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class RateLimitStage implements Handler<RoutingContext> {

    @Override
    public void handle(RoutingContext rc) {
        rc.next();
    }
}
