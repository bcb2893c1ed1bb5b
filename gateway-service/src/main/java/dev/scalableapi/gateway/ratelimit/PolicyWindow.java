package dev.scalableapi.gateway.ratelimit;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The windows a rate-limit policy counts over. second, minute and hour slide (capacity comes back sub-bucket by
 * sub-bucket); day and month are UTC calendar periods (the whole quota comes back at 00:00 UTC / on the 1st).
 * {@code headerSeconds} is the {@code w} the IETF draft's {@code RateLimit-Policy} shows (a month as 30 days,
 * the draft's own example).
 */
public enum PolicyWindow {
    SECOND("burst", 1),
    MINUTE("per-minute", 60),
    HOUR("hourly", 3_600),
    DAY("daily", 86_400),
    MONTH("monthly", 2_592_000);

    /** The accepted spellings, for validation messages and patterns. */
    public static final String IDS = "second|minute|hour|day|month";

    private final String defaultName;
    private final long headerSeconds;

    PolicyWindow(String defaultName, long headerSeconds) {
        this.defaultName = defaultName;
        this.headerSeconds = headerSeconds;
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The policy's name when none is given. */
    public String defaultName() {
        return defaultName;
    }

    public long headerSeconds() {
        return headerSeconds;
    }

    /** A UTC calendar period (a counter per period) rather than a sliding window. */
    public boolean isCalendar() {
        return this == DAY || this == MONTH;
    }

    @JsonCreator
    public static PolicyWindow of(String id) {
        for (PolicyWindow window : values()) {
            if (window.id().equals(id)) {
                return window;
            }
        }
        throw new IllegalArgumentException("window must be one of " + IDS.replace('|', ',') + ": " + id);
    }
}
