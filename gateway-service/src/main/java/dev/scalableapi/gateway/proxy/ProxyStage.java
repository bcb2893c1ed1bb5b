package dev.scalableapi.gateway.proxy;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ProxyStage implements Handler<RoutingContext> {

    @Override
    public void handle(RoutingContext rc) {
        rc.next();
    }
}
