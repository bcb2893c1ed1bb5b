package dev.scalableapi.common.forwarding;

import io.vertx.core.MultiMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** RFC 9110 §7.6.1: connection-specific headers are not forwarded, nor any header the Connection header names. */
public final class HopByHopHeaders {

    private static final Set<String> ALWAYS = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");

    private HopByHopHeaders() {
    }

    public static MultiMap withoutHopByHop(MultiMap headers) {
        MultiMap copy = MultiMap.caseInsensitiveMultiMap();
        Set<String> named = new HashSet<>();
        for (String connection : headers.getAll("Connection")) {
            for (String token : connection.split(",")) {
                named.add(token.trim().toLowerCase(Locale.ROOT));
            }
        }
        for (var entry : headers) {
            String name = entry.getKey().toLowerCase(Locale.ROOT);
            if (!ALWAYS.contains(name) && !named.contains(name)) {
                copy.add(entry.getKey(), entry.getValue());
            }
        }
        return copy;
    }
}
