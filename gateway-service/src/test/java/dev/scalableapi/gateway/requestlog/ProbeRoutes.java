package dev.scalableapi.gateway.requestlog;

import dev.scalableapi.common.identity.Identity;
import dev.scalableapi.gateway.pipeline.Exchange;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;

/**
 * Test-only route standing in for a finished pipeline: it sets what auth and the proxy would (identity, error
 * code, the upstream's {@code X-Cache}) from query parameters, so the request log's mapping can be checked end to
 * end while those stages are still placeholders.
 */
@ApplicationScoped
public class ProbeRoutes {

    void register(@Observes Router router) {
        router.get("/probe/items/:id").handler(rc -> {
            Exchange exchange = Exchange.of(rc);
            String key = rc.request().getParam("key");
            String user = rc.request().getParam("user");
            if (key != null || user != null) {
                exchange.identity(new Identity(user == null ? null : Long.valueOf(user),
                        key == null ? null : Long.valueOf(key), "user", Set.of("read"), "free"));
            }
            exchange.errorCode(rc.request().getParam("error"));
            String cache = rc.request().getParam("cache");
            if (cache != null) {
                rc.response().putHeader("X-Cache", cache);
            }
            String status = rc.request().getParam("status");
            rc.response().setStatusCode(status == null ? 200 : Integer.parseInt(status)).end("{}");
        });
    }
}
