package dev.scalableapi.gateway.support;

import dev.scalableapi.gateway.keys.ApiKeyFormat;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** Users and API keys inserted straight into the test database (only the key's hash is stored). */
public final class TestKeys {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final AtomicInteger IPS = new AtomicInteger();

    /** A key as issued: its value (shown once), its row id and its owner. */
    public record Issued(String key, long keyId, long ownerId, String tier, String scopes) {
    }

    private TestKeys() {
    }

    public static long user(Pool pool, String role) {
        return pool.preparedQuery("insert into users (email, password_hash, role) values ($1, 'x', $2) returning id")
                .execute(Tuple.of("u-" + UUID.randomUUID() + "@test.invalid", role))
                .await().atMost(TIMEOUT).iterator().next().getLong("id");
    }

    public static Issued key(Pool pool, String tier, String scopes, String status, OffsetDateTime expiresAt) {
        return key(pool, "test", user(pool, "user"), tier, scopes, status, expiresAt);
    }

    /** @param environment the {@code <env>} of {@code sk_<env>_…} */
    public static Issued key(Pool pool, String environment, String tier, String scopes, String status,
            OffsetDateTime expiresAt) {
        return key(pool, environment, user(pool, "user"), tier, scopes, status, expiresAt);
    }

    /** An active key of an existing user. */
    public static Issued ownedBy(Pool pool, long owner, String tier, String scopes) {
        return key(pool, "test", owner, tier, scopes, "active", null);
    }

    private static Issued key(Pool pool, String environment, long owner, String tier, String scopes, String status,
            OffsetDateTime expiresAt) {
        String key = ApiKeyFormat.generate(environment);
        long id = pool.preparedQuery("""
                insert into api_keys (prefix, key_hash, name, owner_id, tier, scopes, status, expires_at)
                values ($1, $2, 'test key', $3, $4, $5, $6, $7) returning id""")
                .execute(Tuple.from(new Object[] {ApiKeyFormat.prefix(key), ApiKeyFormat.hash(key), owner, tier,
                        scopes, status, expiresAt}))
                .await().atMost(TIMEOUT).iterator().next().getLong("id");
        return new Issued(key, id, owner, tier, scopes);
    }

    public static Issued active(Pool pool, String tier, String scopes) {
        return key(pool, tier, scopes, "active", null);
    }

    /** A client address nobody else in this JVM uses, for X-Forwarded-For from the (trusted) loopback peer. */
    public static String uniqueIp() {
        int n = IPS.incrementAndGet();
        return "198.18." + ((n >> 8) & 0xff) + "." + (n & 0xff);
    }
}
