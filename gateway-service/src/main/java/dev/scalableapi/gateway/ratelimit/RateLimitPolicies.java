package dev.scalableapi.gateway.ratelimit;

import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A caller's policies, prepared once (per tier, per distinct key list) so that a decision does no formatting: the
 * script's arguments as strings, the Redis key suffixes and the {@code RateLimit-Policy} header value.
 * second / minute / hour are sliding windows of {@link SlidingWindow} shape (the minute's is
 * {@code gateway.ratelimit.window} / {@code buckets}); day and month are UTC calendar periods.
 */
public final class RateLimitPolicies {

    /** Most policies one caller may have: each costs a hash or counter read in the one script call. */
    public static final int MAX_POLICIES = 8;
    /** Largest limit a policy may have (a billion: far beyond any month of traffic one key can send). */
    public static final long MAX_LIMIT = 1_000_000_000L;

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

    static final SlidingWindow SECOND = new SlidingWindow(1_000, 100);
    static final SlidingWindow HOUR = new SlidingWindow(3_600_000, 60_000);

    /** The script's kinds: sliding window, UTC day, UTC month. */
    static final String SLIDING = "0";
    static final String DAY = "1";
    static final String MONTH = "2";

    private final List<RateLimitPolicy> policies;
    private final PolicyWindow[] windows;
    private final String[] names;
    private final long[] limits;
    private final long[] windowMillis;
    private final long[] stepMillis;
    private final long[] headerSeconds;
    /** Per policy: kind, limit, window ms, step ms — the script's ARGV after its first two. */
    private final String[] scriptArgs;
    private final String[] keySuffixes;
    private final String policyHeader;
    private final int minuteIndex;

    private RateLimitPolicies(List<RateLimitPolicy> policies, SlidingWindow minute) {
        if (policies.isEmpty() || policies.size() > MAX_POLICIES) {
            throw new IllegalArgumentException("a caller has 1 to " + MAX_POLICIES + " policies: " + policies);
        }
        this.policies = List.copyOf(policies);
        int n = policies.size();
        windows = new PolicyWindow[n];
        names = new String[n];
        limits = new long[n];
        windowMillis = new long[n];
        stepMillis = new long[n];
        headerSeconds = new long[n];
        scriptArgs = new String[4 * n];
        keySuffixes = new String[n];
        Set<String> seen = new HashSet<>();
        StringBuilder header = new StringBuilder();
        int minuteAt = -1;
        for (int i = 0; i < n; i++) {
            RateLimitPolicy p = policies.get(i);
            if (!seen.add(p.name())) {
                throw new IllegalArgumentException("policy names must be unique: " + p.name());
            }
            windows[i] = p.window();
            names[i] = p.name();
            limits[i] = p.limit();
            String kind;
            switch (p.window()) {
                case SECOND, MINUTE, HOUR -> {
                    SlidingWindow shape = p.window() == PolicyWindow.SECOND ? SECOND
                            : p.window() == PolicyWindow.HOUR ? HOUR : minute;
                    windowMillis[i] = shape.windowMillis();
                    stepMillis[i] = shape.stepMillis();
                    headerSeconds[i] = Math.max(1, shape.windowMillis() / 1000);
                    kind = SLIDING;
                }
                case DAY -> {
                    windowMillis[i] = 86_400_000L;
                    headerSeconds[i] = p.window().headerSeconds();
                    kind = DAY;
                }
                default -> {
                    headerSeconds[i] = p.window().headerSeconds();
                    kind = MONTH;
                }
            }
            if (p.window() == PolicyWindow.MINUTE && minuteAt < 0) {
                minuteAt = i;
            }
            scriptArgs[4 * i] = kind;
            scriptArgs[4 * i + 1] = Long.toString(p.limit());
            scriptArgs[4 * i + 2] = Long.toString(windowMillis[i]);
            scriptArgs[4 * i + 3] = Long.toString(stepMillis[i]);
            // the window is part of the key: a name reused for another window never reads the other's state
            keySuffixes[i] = ":" + p.window().id() + ":" + p.name();
            if (i > 0) {
                header.append(", ");
            }
            header.append('"').append(p.name()).append("\";q=").append(p.limit()).append(";w=")
                    .append(headerSeconds[i]);
        }
        this.policyHeader = header.toString();
        this.minuteIndex = minuteAt;
    }

    public static RateLimitPolicies of(List<RateLimitPolicy> policies, SlidingWindow minute) {
        return new RateLimitPolicies(policies, minute);
    }

    /**
     * A request's {@code limits} as policies, or the 422 naming each wrong field ({@code limits},
     * {@code limits[1].window}, …): 1 to {@link #MAX_POLICIES} policies, each with a window of second, minute, hour,
     * day or month, a limit from 1 to {@link #MAX_LIMIT}, an optional name of lower-case letters, digits, '-' and '_'
     * (at most 32), and names (given or the windows' defaults) unique.
     */
    public static List<RateLimitPolicy> validated(String field, List<RateLimitPolicyRequest> requested) {
        Map<String, List<String>> errors = new TreeMap<>();
        if (requested.isEmpty() || requested.size() > MAX_POLICIES) {
            errors.put(field, List.of("must hold 1 to " + MAX_POLICIES + " policies"));
        }
        List<RateLimitPolicy> policies = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < requested.size(); i++) {
            RateLimitPolicyRequest p = requested.get(i);
            String at = field + "[" + i + "]";
            if (p == null) {
                errors.put(at, List.of("must not be null"));
                continue;
            }
            if (p.name() != null && !NAME.matcher(p.name()).matches()) {
                errors.put(at + ".name", List.of("must be 1 to 32 of a-z, 0-9, '-' and '_', starting with a letter"));
            }
            PolicyWindow window = null;
            if (p.window() == null || !p.window().matches(PolicyWindow.IDS)) {
                errors.put(at + ".window", List.of("must be one of second, minute, hour, day, month"));
            } else {
                window = PolicyWindow.of(p.window());
            }
            if (p.limit() == null || p.limit() < 1 || p.limit() > MAX_LIMIT) {
                errors.put(at + ".limit", List.of("must be from 1 to " + MAX_LIMIT));
            }
            if (window != null && p.limit() != null && p.limit() >= 1 && p.limit() <= MAX_LIMIT
                    && !errors.containsKey(at + ".name")) {
                RateLimitPolicy policy = new RateLimitPolicy(p.name(), window, p.limit());
                if (!names.add(policy.name())) {
                    errors.put(at + ".name", List.of("'" + policy.name() + "' is used twice (without a name, a"
                            + " policy is called after its window, e.g. 'monthly'); names must be unique"));
                }
                policies.add(policy);
            }
        }
        if (!errors.isEmpty()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED,
                    "Validation failed for: " + String.join(", ", errors.keySet()), errors, null);
        }
        return policies;
    }

    public List<RateLimitPolicy> list() {
        return policies;
    }

    public int size() {
        return names.length;
    }

    public String name(int i) {
        return names[i];
    }

    public PolicyWindow window(int i) {
        return windows[i];
    }

    public long limit(int i) {
        return limits[i];
    }

    long windowMillis(int i) {
        return windowMillis[i];
    }

    long stepMillis(int i) {
        return stepMillis[i];
    }

    /** The window's length as headers show it ({@code w}). */
    public long headerSeconds(int i) {
        return headerSeconds[i];
    }

    String scriptArg(int j) {
        return scriptArgs[j];
    }

    String keySuffix(int i) {
        return keySuffixes[i];
    }

    /** The {@code RateLimit-Policy} header value, e.g. {@code "burst";q=50;w=1, "monthly";q=5;w=2592000}. */
    public String policyHeader() {
        return policyHeader;
    }

    /** The first minute policy (what {@code X-RateLimit-*} show), or -1. */
    public int minuteIndex() {
        return minuteIndex;
    }

    @Override
    public String toString() {
        return policyHeader;
    }
}
