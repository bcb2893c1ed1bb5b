package dev.scalableapi.gateway.pipeline;

import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.RoutingErrorWriter;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/** Ends a request that a stage refuses: the error envelope goes out and the request log learns the code. */
@ApplicationScoped
public class EdgeErrors {

    private final RoutingErrorWriter writer;

    EdgeErrors(RoutingErrorWriter writer) {
        this.writer = writer;
    }

    public void reject(RoutingContext rc, ApiException error) {
        Exchange.of(rc).errorCode(error.code().name());
        writer.write(rc.response(), error);
    }
}
