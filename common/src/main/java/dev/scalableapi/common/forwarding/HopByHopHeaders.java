package dev.scalableapi.common.forwarding;

import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** RFC 9110 §7.6.1: connection-specific headers are not forwarded, nor any header the Connection header names. */
public final class HopByHopHeaders {

    private static final Set<String> ALWAYS = caseInsensitive(List.of("connection", "keep-alive",
            "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding",
            "upgrade"));

    private HopByHopHeaders() {
    }

    public static MultiMap withoutHopByHop(MultiMap headers) {
        MultiMap copy = MultiMap.caseInsensitiveMultiMap();
        Set<String> named = namedByConnection(headers);
        for (var entry : headers) {
            if (!isHopByHop(entry.getKey(), named)) {
                copy.add(entry.getKey(), entry.getValue());
            }
        }
        return copy;
    }

    /** The names a message's Connection header lists, compared case-insensitively; usually none. */
    public static Set<String> namedByConnection(MultiMap headers) {
        List<String> connection = headers.getAll("Connection");
        if (connection.isEmpty()) {
            return Set.of();
        }
        List<String> names = new ArrayList<>();
        for (String value : connection) {
            for (String token : value.split(",")) {
                names.add(token.trim());
            }
        }
        return caseInsensitive(names);
    }

    /** Compared without lower-casing each name: this runs for every header of every proxied message. */
    public static boolean isHopByHop(String name, Set<String> namedByConnection) {
        return ALWAYS.contains(name) || namedByConnection.contains(name);
    }

    private static Set<String> caseInsensitive(List<String> names) {
        Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(names);
        return Collections.unmodifiableSet(set);
    }
}
