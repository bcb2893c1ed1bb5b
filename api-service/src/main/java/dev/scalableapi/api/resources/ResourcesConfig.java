package dev.scalableapi.api.resources;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "api.resources")
public interface ResourcesConfig {

    /** Page size when the caller gives none. */
    @WithDefault("20")
    int defaultLimit();

    /** Largest page a caller may ask for. */
    @WithDefault("100")
    int maxLimit();

    /**
     * Deepest row a numbered page may reach ({@code page × limit}): PostgreSQL reads and drops every row before
     * an offset, so a deep page costs as much as all pages before it. Deeper lists go on with {@code cursor}.
     */
    @WithDefault("10000")
    int maxOffset();

    /**
     * Rows a numbered page's {@code total} counts at most; past it {@code total} is this bound and
     * {@code totalCapped} is true. An exact count reads every matching row on every call.
     */
    @WithDefault("10000")
    int maxCount();

    /** Upper bound for a read from PostgreSQL before the read is answered from a stale copy or with 503. */
    @WithDefault("3s")
    Duration readTimeout();

    /**
     * A write not committed by then is rolled back and answered 503 (see {@code WriteDeadline}). Below the
     * balancer's first-byte timeout, so a client learns the outcome from here, not from a proxy's 504.
     */
    @WithDefault("5s")
    Duration writeTimeout();
}
