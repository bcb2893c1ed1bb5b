package dev.scalableapi.common.tracing;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * W3C trace context for a hop that takes part in the trace without recording spans: the OpenTelemetry SDK is off
 * unless traces are exported ({@code OTEL_SDK_DISABLED}), and its per-request instrumentation was a tenth of the
 * gateway's CPU (profile in bench/results/2026-12-07). The outgoing {@code traceparent} keeps the caller's trace id
 * and flags under a fresh parent id, so the next hop still sees this one as a step of the trace; a missing or
 * malformed header starts a new trace, not sampled.
 *
 * @see <a href="https://www.w3.org/TR/trace-context/#traceparent-header">traceparent</a>
 */
public final class TraceParent {

    public static final String HEADER = "traceparent";
    public static final String STATE_HEADER = "tracestate";

    private static final HexFormat HEX = HexFormat.of();
    private static final int VERSION_00_LENGTH = 55;

    private TraceParent() {
    }

    /** The {@code traceparent} for the next hop; {@code incoming} may be null. */
    public static String next(String incoming) {
        String traceId = isValid(incoming) ? incoming.substring(3, 35) : null;
        String flags = traceId != null ? incoming.substring(53, 55) : "00";
        if (traceId == null) {
            traceId = HEX.toHexDigits(nonZero()) + HEX.toHexDigits(ThreadLocalRandom.current().nextLong());
        }
        return "00-" + traceId + "-" + HEX.toHexDigits(nonZero()) + "-" + flags;
    }

    /**
     * Whether a header value is a traceparent this hop can continue: version 00 exactly, a later version by its
     * first four fields (the spec's forward-compatibility rule); never version ff, never all-zero ids.
     */
    public static boolean isValid(String value) {
        if (value == null || value.length() < VERSION_00_LENGTH) {
            return false;
        }
        String version = value.substring(0, 2);
        if (!isLowerHex(version) || version.equals("ff")) {
            return false;
        }
        if (version.equals("00") ? value.length() != VERSION_00_LENGTH
                : value.length() > VERSION_00_LENGTH && value.charAt(VERSION_00_LENGTH) != '-') {
            return false;
        }
        return value.charAt(2) == '-' && value.charAt(35) == '-' && value.charAt(52) == '-'
                && isNonZeroHex(value.substring(3, 35)) && isNonZeroHex(value.substring(36, 52))
                && isLowerHex(value.substring(53, 55));
    }

    private static long nonZero() {
        long id;
        do {
            id = ThreadLocalRandom.current().nextLong();
        } while (id == 0L);
        return id;
    }

    private static boolean isNonZeroHex(String text) {
        return isLowerHex(text) && text.chars().anyMatch(c -> c != '0');
    }

    private static boolean isLowerHex(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
