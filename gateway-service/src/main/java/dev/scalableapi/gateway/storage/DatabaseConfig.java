package dev.scalableapi.gateway.storage;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/**
 * PostgreSQL as the request path uses it.
 * <p>
 * Set from {@code GATEWAY_DATABASE_TIMEOUT}, with its default in {@code application.properties}.
 */
@ConfigMapping(prefix = "gateway.database")
public interface DatabaseConfig {

    /**
     * How long a request waits for one PostgreSQL call (a free connection included) before it gets 503
     * {@code SERVICE_UNAVAILABLE}: a locked table or a hung database must not hold requests without bound.
     */
    Duration timeout();
}
