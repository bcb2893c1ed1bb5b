package dev.scalableapi.gateway.support;

import dev.scalableapi.gateway.keys.KeysConfig;
import java.time.Duration;

/**
 * Key-lookup settings for tests that build a {@code KeyLookup} by hand: what each test varies (how long in-process
 * copies live, how long PostgreSQL may take, the revocation channel), the rest as in production.
 */
public record LookupSettings(String redisPrefix, Duration localTtl, Duration databaseTimeout,
        String revocationChannel) implements KeysConfig {

    @Override
    public String environment() {
        return "test";
    }

    @Override
    public Duration redisTtl() {
        return Duration.ofSeconds(60);
    }

    @Override
    public Duration staleTtl() {
        return Duration.ofHours(1);
    }
}
