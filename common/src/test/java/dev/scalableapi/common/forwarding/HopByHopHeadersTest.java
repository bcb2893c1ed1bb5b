package dev.scalableapi.common.forwarding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** RFC 9110 §7.6.1, whatever the case of the names. */
class HopByHopHeadersTest {

    @Test
    void connectionSpecificHeadersAndTheOnesConnectionNamesAreDropped() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("Connection", "keep-alive, X-Hop").add("connection", "Other-Hop")
                .add("Keep-Alive", "timeout=5").add("TRANSFER-ENCODING", "chunked").add("Upgrade", "h2c")
                .add("x-hop", "1").add("OTHER-HOP", "2")
                .add("X-Request-ID", "r1").add("Set-Cookie", "a=1").add("Set-Cookie", "b=2");

        MultiMap kept = HopByHopHeaders.withoutHopByHop(headers);

        assertEquals(Set.of("X-Request-ID", "Set-Cookie"), kept.names());
        assertEquals(List.of("a=1", "b=2"), kept.getAll("set-cookie"));
    }

    @Test
    void namesAreComparedWithoutCase() {
        Set<String> named = HopByHopHeaders.namedByConnection(
                MultiMap.caseInsensitiveMultiMap().add("Connection", " X-Trace-Hop ,close"));
        assertTrue(HopByHopHeaders.isHopByHop("x-trace-hop", named));
        assertTrue(HopByHopHeaders.isHopByHop("Proxy-Authorization", Set.of()));
        assertTrue(HopByHopHeaders.isHopByHop("te", Set.of()));
        assertFalse(HopByHopHeaders.isHopByHop("Content-Length", named));
        assertTrue(HopByHopHeaders.namedByConnection(MultiMap.caseInsensitiveMultiMap()).isEmpty());
    }
}
