package dev.scalableapi.common.tiers;

import java.util.Locale;
import java.util.Optional;

/**
 * Rate-limit tiers of the brief with their default requests per minute. The gateway may override the numbers
 * in its configuration; a key's own override wins over its tier.
 */
public enum Tier {
    ANONYMOUS(100),
    FREE(1_000),
    PRO(10_000),
    ENTERPRISE(100_000);

    private static final Tier[] ALL = values();

    private final int defaultPerMinute;
    private final String id;

    Tier(int defaultPerMinute) {
        this.defaultPerMinute = defaultPerMinute;
        this.id = name().toLowerCase(Locale.ROOT);
    }

    public int defaultPerMinute() {
        return defaultPerMinute;
    }

    /** The lower-case name used in headers, configuration and the API. */
    public String id() {
        return id;
    }

    public static Optional<Tier> fromId(String id) {
        if (id == null) {
            return Optional.empty();
        }
        String lowerCase = id.toLowerCase(Locale.ROOT);
        for (Tier tier : ALL) {
            if (tier.id.equals(lowerCase)) {
                return Optional.of(tier);
            }
        }
        return Optional.empty();
    }
}
