package dev.scalableapi.common.forwarding;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;

/** The request headers a proxy hop sends on: hop-by-hop ones dropped, {@code X-Forwarded-*} maintained. */
public final class ForwardedHeaders {

    private ForwardedHeaders() {
    }

    /**
     * @param keepClientChain whether an incoming {@code X-Forwarded-For} is kept (the peer is a trusted proxy); when
     *                        false the chain restarts at the peer, so a client cannot plant addresses in it
     */
    public static MultiMap forRequest(HttpServerRequest in, boolean keepClientChain) {
        MultiMap headers = HopByHopHeaders.withoutHopByHop(in.headers());
        String peer = in.remoteAddress() == null ? null : in.remoteAddress().host();
        // A client may send the header on several lines; together they are one chain (RFC 9110 §5.3).
        java.util.List<String> lines = keepClientChain ? headers.getAll("X-Forwarded-For") : java.util.List.of();
        String prior = lines.isEmpty() ? null : String.join(", ", lines);
        if (peer != null) {
            headers.set("X-Forwarded-For", prior == null ? peer : prior + ", " + peer);
        } else if (!keepClientChain) {
            headers.remove("X-Forwarded-For");
        }
        if (!keepClientChain || !headers.contains("X-Forwarded-Proto")) {
            headers.set("X-Forwarded-Proto", in.scheme() == null ? "http" : in.scheme());
        }
        if ((!keepClientChain || !headers.contains("X-Forwarded-Host")) && in.authority() != null) {
            headers.set("X-Forwarded-Host", in.authority().toString());
        }
        return headers;
    }
}
