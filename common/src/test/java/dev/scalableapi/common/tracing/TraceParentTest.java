package dev.scalableapi.common.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TraceParentTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER = "00-" + TRACE + "-00f067aa0ba902b7-01";

    @Test
    void continuesTheCallersTraceUnderANewParent() {
        String next = TraceParent.next(CALLER);
        assertTrue(TraceParent.isValid(next), next);
        assertEquals(TRACE, next.substring(3, 35));
        assertNotEquals("00f067aa0ba902b7", next.substring(36, 52));
        assertEquals("01", next.substring(53), "the caller's sampling decision travels on");
    }

    @Test
    void eachHopGetsItsOwnParentId() {
        assertNotEquals(TraceParent.next(CALLER).substring(36, 52), TraceParent.next(CALLER).substring(36, 52));
    }

    @Test
    void startsAnUnsampledTraceWithoutAUsableHeader() {
        String fresh = TraceParent.next(null);
        assertTrue(fresh.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00"), fresh);
        assertNotEquals(fresh.substring(3, 35), TraceParent.next(null).substring(3, 35));
        assertNotEquals(TRACE, TraceParent.next("00-" + TRACE + "-0000000000000000-01").substring(3, 35));
    }

    @Test
    void laterVersionsAreReadByTheirFirstFourFields() {
        assertTrue(TraceParent.isValid("01-" + TRACE + "-00f067aa0ba902b7-01-what-comes-later"));
        assertEquals(TRACE, TraceParent.next("cc-" + TRACE + "-00f067aa0ba902b7-01").substring(3, 35));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", "00-" + TRACE + "-00f067aa0ba902b7-01-extra",
            "ff-" + TRACE + "-00f067aa0ba902b7-01", "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-" + TRACE + "-0000000000000000-01", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "00_" + TRACE + "-00f067aa0ba902b7-01", "00-" + TRACE + "-00f067aa0ba902b7-0g",
            "01-" + TRACE + "-00f067aa0ba902b7-01x"})
    void refusesMalformedHeaders(String value) {
        assertFalse(TraceParent.isValid(value), value);
    }
}
