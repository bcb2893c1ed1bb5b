package dev.scalableapi.gateway.ratelimit;

/**
 * One rate-limit decision, free of HTTP: the stage turns it into headers or an error.
 *
 * @param allowed           whether the request may go on
 * @param limit             requests admitted per window for this subject
 * @param remaining         requests still admitted in the current window after this one
 * @param resetEpochSeconds when the oldest request still counted leaves the window (capacity starts coming
 *                          back); epoch seconds, rounded up
 * @param resetAfterSeconds the same as a delay from the decision's own clock
 * @param retryAfterSeconds when refused: seconds until a request would be admitted again (≥ 1); else 0
 * @param windowSeconds     the window's length
 * @param policy            the policy's name (the tier)
 * @param mode              who decided
 */
public record RateLimitDecision(boolean allowed, long limit, long remaining, long resetEpochSeconds,
        long resetAfterSeconds, long retryAfterSeconds, long windowSeconds, String policy, Mode mode) {

    /** Who took the decision; the value is the {@code mode} label of the decisions metric. */
    public enum Mode {
        REDIS("redis"),
        LOCAL("local"),
        FAIL_OPEN("fail_open"),
        FAIL_CLOSED("fail_closed");

        private final String label;

        Mode(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    static RateLimitDecision of(boolean allowed, long limit, long remaining, long nowMillis, long resetMillis,
            long retryMillis, long windowMillis, String policy, Mode mode) {
        long resetAfter = Math.max(0, ceilDiv(resetMillis - nowMillis, 1000));
        long retryAfter = allowed ? 0 : Math.max(1, ceilDiv(retryMillis, 1000));
        return new RateLimitDecision(allowed, limit, Math.max(0, remaining), ceilDiv(resetMillis, 1000),
                resetAfter, retryAfter, Math.max(1, ceilDiv(windowMillis, 1000)), policy, mode);
    }

    private static long ceilDiv(long x, long y) {
        return -Math.floorDiv(-x, y);
    }
}
