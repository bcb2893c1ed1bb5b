package dev.scalableapi.common.forwarding;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** Streams an upstream response to the client without buffering it. */
public final class ResponseRelay {

    private ResponseRelay() {
    }

    /**
     * Copies status and end-to-end headers (replacing this hop's own copies, e.g. {@code X-Request-ID}) and pipes
     * the body. If either side breaks mid-body the client's answer is cut short ({@link ClientAbort}), so a
     * truncated body never looks complete. The future fails in that case.
     */
    public static Future<Void> relay(HttpClientResponse upstream, RoutingContext rc) {
        HttpServerResponse out = rc.response();
        int status = upstream.statusCode();
        out.setStatusCode(status);
        out.setStatusMessage(upstream.statusMessage());
        MultiMap headers = upstream.headers();
        Set<String> namedByConnection = HopByHopHeaders.namedByConnection(headers);
        // Replace this hop's copies of what upstream sends (e.g. X-Request-ID), keep the rest (security headers).
        // MultiMap.setAll would clear every header first.
        for (String name : headers.names()) {
            if (!HopByHopHeaders.isHopByHop(name, namedByConnection)) {
                out.headers().set(name, headers.getAll(name));
            }
        }
        if (!headers.contains("Content-Length") && status != 204 && status != 304) {
            out.setChunked(true);
        }
        return upstream.pipe().endOnFailure(false).to(out).onFailure(failure -> ClientAbort.cutShort(rc));
    }
}
