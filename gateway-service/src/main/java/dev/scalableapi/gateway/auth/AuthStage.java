package dev.scalableapi.gateway.auth;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class AuthStage implements Handler<RoutingContext> {

    @Override
    public void handle(RoutingContext rc) {
        rc.next();
    }
}
