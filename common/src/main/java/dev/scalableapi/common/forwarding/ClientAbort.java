package dev.scalableapi.common.forwarding;

import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/** Cuts a client's answer short, so that a truncated body never looks complete. */
public final class ClientAbort {

    private ClientAbort() {
    }

    /**
     * On HTTP/1.x closes the connection instead of resetting the response: Vert.x's reset marks the response closed
     * before the connection's close event arrives, and that event, which is what runs the routing context's end
     * handlers (the shedder's release, the request log, metrics, the balancer's load counts), is then skipped.
     * On HTTP/2 a reset ends the one stream, not the connection's others.
     */
    public static void cutShort(RoutingContext rc) {
        if (rc.request().version() == HttpVersion.HTTP_2) {
            rc.response().reset();
        } else {
            rc.request().connection().close();
        }
    }
}
