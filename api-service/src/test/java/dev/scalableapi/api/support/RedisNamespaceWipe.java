package dev.scalableapi.api.support;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Test-only bean: Flyway wipes the test database at every application start, so resource ids start again at 1.
 * The L2 entries (and tombstones) a previous start left in this run's Redis namespace would then shadow the new
 * rows; this removes them at the same moment the database is wiped.
 */
@ApplicationScoped
public class RedisNamespaceWipe {

    void wipe(@Observes StartupEvent event, RedisDataSource redis,
            @ConfigProperty(name = "api.cache.key-prefix") String keyPrefix) {
        List<String> keys = redis.key().keys(keyPrefix + "*");
        if (!keys.isEmpty()) {
            redis.key().del(keys.toArray(String[]::new));
        }
    }
}
