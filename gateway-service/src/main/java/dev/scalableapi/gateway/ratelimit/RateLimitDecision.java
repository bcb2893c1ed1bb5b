package dev.scalableapi.gateway.ratelimit;

/**
 * One rate-limit decision over all of a caller's policies, free of HTTP: the enforcement turns it into headers or
 * an error. Per policy: what remains after this request and when capacity comes back. The single-policy accessors
 * ({@link #limit()}, {@link #remaining()}, …) describe the <em>reported</em> policy: when refused, the refusing one
 * that frees last; else the one closest to exhaustion (fewest requests left; on a tie the one that resets last).
 */
public final class RateLimitDecision {

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

    private final boolean allowed;
    private final String tier;
    private final RateLimitPolicies policies;
    /** The limits enforced when they are not the policies' own (the local fallback's shares); else null. */
    private final long[] limits;
    private final long[] remaining;
    private final long[] resetEpochSeconds;
    private final long[] resetAfterSeconds;
    private final long retryAfterSeconds;
    private final boolean quotaExceeded;
    private final int reported;
    private final Mode mode;

    private RateLimitDecision(boolean allowed, String tier, RateLimitPolicies policies, long[] limits,
            long[] remaining, long[] resetEpochSeconds, long[] resetAfterSeconds, long retryAfterSeconds,
            boolean quotaExceeded, int reported, Mode mode) {
        this.allowed = allowed;
        this.tier = tier;
        this.policies = policies;
        this.limits = limits;
        this.remaining = remaining;
        this.resetEpochSeconds = resetEpochSeconds;
        this.resetAfterSeconds = resetAfterSeconds;
        this.retryAfterSeconds = retryAfterSeconds;
        this.quotaExceeded = quotaExceeded;
        this.reported = reported;
        this.mode = mode;
    }

    /**
     * @param limits      per policy, the limit enforced when it is not the policy's own (local shares); else null
     * @param remaining   per policy, after this request (negative counts as 0)
     * @param resetMillis per policy, when capacity comes back (epoch ms): a sliding window's oldest counted request
     *                    leaves it, a calendar period ends
     * @param retryMillis per policy, when it refuses: until it would admit again; else 0
     */
    static RateLimitDecision of(boolean allowed, String tier, RateLimitPolicies policies, long nowMillis,
            long[] limits, long[] remaining, long[] resetMillis, long[] retryMillis, Mode mode) {
        int n = policies.size();
        long[] resetEpoch = new long[n];
        long[] resetAfter = new long[n];
        long latestRetry = 0;
        int refusing = -1;
        boolean quota = false;
        int closest = 0;
        for (int i = 0; i < n; i++) {
            remaining[i] = Math.max(0, remaining[i]);
            resetEpoch[i] = ceilDiv(resetMillis[i], 1000);
            resetAfter[i] = Math.max(0, ceilDiv(resetMillis[i] - nowMillis, 1000));
            if (!allowed && retryMillis[i] > 0) {
                quota |= policies.window(i).isCalendar();
                if (refusing < 0 || retryMillis[i] > latestRetry) {
                    refusing = i;
                    latestRetry = retryMillis[i];
                }
            }
            if (remaining[i] < remaining[closest]
                    || remaining[i] == remaining[closest] && resetAfter[i] > resetAfter[closest]) {
                closest = i;
            }
        }
        long retryAfter = allowed ? 0 : Math.max(1, ceilDiv(latestRetry, 1000));
        return new RateLimitDecision(allowed, tier, policies, limits, remaining, resetEpoch, resetAfter, retryAfter, quota,
                refusing >= 0 ? refusing : closest, mode);
    }

    /** Every policy admits (remaining = limit) or refuses (remaining 0) alike: the fail-open / fail-closed answers. */
    static RateLimitDecision uniform(boolean allowed, String tier, RateLimitPolicies policies, long nowMillis,
            long retryMillis, Mode mode) {
        int n = policies.size();
        long[] remaining = new long[n];
        long[] reset = new long[n];
        long[] retry = new long[n];
        for (int i = 0; i < n; i++) {
            remaining[i] = allowed ? policies.limit(i) : 0;
            reset[i] = nowMillis + policies.headerSeconds(i) * 1000;
            retry[i] = allowed ? 0 : retryMillis;
        }
        return of(allowed, tier, policies, nowMillis, null, remaining, reset, retry, mode);
    }

    private static long ceilDiv(long x, long y) {
        return -Math.floorDiv(-x, y);
    }

    public boolean allowed() {
        return allowed;
    }

    /** The caller's tier (the metric's label), also for keys with their own policies. */
    public String tier() {
        return tier;
    }

    public RateLimitPolicies policies() {
        return policies;
    }

    /** Refused, and a day or month quota is among the policies that refused. */
    public boolean quotaExceeded() {
        return quotaExceeded;
    }

    /** When refused: seconds until every refusing policy admits again (≥ 1); else 0. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public Mode mode() {
        return mode;
    }

    /** The index of the reported policy (see the class comment). */
    public int reported() {
        return reported;
    }

    /** Policy i's limit as enforced by this decision (the local fallback enforces a share of it). */
    public long limit(int i) {
        return limits == null ? policies.limit(i) : limits[i];
    }

    /** Whether the limits are the policies' own ({@link RateLimitPolicies#policyHeader()} describes them). */
    public boolean ownLimits() {
        return limits == null;
    }

    public long remaining(int i) {
        return remaining[i];
    }

    public long resetEpochSeconds(int i) {
        return resetEpochSeconds[i];
    }

    public long resetAfterSeconds(int i) {
        return resetAfterSeconds[i];
    }

    public String policy() {
        return policies.name(reported);
    }

    public long limit() {
        return limit(reported);
    }

    public long remaining() {
        return remaining[reported];
    }

    public long resetEpochSeconds() {
        return resetEpochSeconds[reported];
    }

    public long resetAfterSeconds() {
        return resetAfterSeconds[reported];
    }

    public long windowSeconds() {
        return policies.headerSeconds(reported);
    }

    @Override
    public String toString() {
        return "RateLimitDecision[allowed=" + allowed + ", tier=" + tier + ", policies=" + policies + ", remaining="
                + java.util.Arrays.toString(remaining) + ", retryAfter=" + retryAfterSeconds + ", mode=" + mode + "]";
    }
}
