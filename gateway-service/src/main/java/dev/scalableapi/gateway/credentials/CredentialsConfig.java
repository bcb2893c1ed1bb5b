package dev.scalableapi.gateway.credentials;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/**
 * How changes to keys and users reach this replica's caches from PostgreSQL.
 * <p>
 * Set from {@code GATEWAY_CREDENTIALS_POLL_INTERVAL}, with its default in {@code application.properties}.
 */
@ConfigMapping(prefix = "gateway.credentials")
public interface CredentialsConfig {

    /**
     * How often this replica reads {@code credential_changes}; with the time to apply them, it bounds how late a
     * change made while Redis was unreachable, or straight in SQL, is seen (the promise is 5 s).
     */
    Duration pollInterval();
}
