package dev.scalableapi.gateway.shedding;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class SheddingStage implements Handler<RoutingContext> {

    @Override
    public void handle(RoutingContext rc) {
        rc.next();
    }
}
