package dev.scalableapi.gateway.keys;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "gateway.keys")
public interface KeysConfig {

    /** The {@code <env>} in {@code sk_<env>_…} for keys created here ({@code live}, {@code test}, {@code dev}). */
    @WithDefault("live")
    String environment();

    /** How long a replica trusts its in-process copy of a key; bounds how late a revocation is seen (≤ 5 s). */
    @WithDefault("5s")
    Duration localTtl();

    /** How long the shared Redis copy lives; revocation deletes it at once. */
    @WithDefault("60s")
    Duration redisTtl();

    /**
     * How long a replica keeps the last answer for a known key, to authenticate it while neither Redis nor
     * PostgreSQL answers; revocation drops it at once.
     */
    @WithDefault("1h")
    Duration staleTtl();

    /**
     * How long a key lookup may wait for PostgreSQL before the request gets 503 (or a known key its last answer):
     * a hung database must not hold requests, and their connections, without bound. Defaults to
     * {@code GATEWAY_DATABASE_TIMEOUT} (application.properties).
     */
    Duration databaseTimeout();

    @WithDefault("scalable-api:key:")
    String redisPrefix();

    /**
     * Channel that tells every replica to drop a key's record from its in-process cache immediately: a revoked key,
     * or a secret whose record a rotation or a new expiry changed.
     */
    @WithDefault("scalable-api:key-revocations")
    String revocationChannel();
}
