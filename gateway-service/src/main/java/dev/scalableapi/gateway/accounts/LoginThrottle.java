package dev.scalableapi.gateway.accounts;

import dev.scalableapi.gateway.security.Sha256;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;

/**
 * Brute-force throttling of logins: failures are counted per account and per client IP over a window; past
 * either limit, attempts are refused (429, {@code Retry-After} = what is left of the window) before any password
 * is checked. A successful login clears its account's count. Counters live in Redis, so every gateway replica
 * sees the same count.
 */
@ApplicationScoped
public class LoginThrottle {

    private final ReactiveRedisDataSource redis;
    private final AccountsConfig config;

    LoginThrottle(ReactiveRedisDataSource redis, AccountsConfig config) {
        this.redis = redis;
        this.config = config;
    }

    /** Seconds until another attempt is allowed; 0 when it is allowed now. */
    public Uni<Long> retryAfter(String email, String clientIp) {
        String account = accountKey(email);
        String ip = ipKey(clientIp);
        return redis.value(Long.class).mget(account, ip).flatMap(counts -> {
            if (over(counts.get(account), config.throttle().maxFailuresPerAccount())) {
                return secondsLeft(account);
            }
            if (over(counts.get(ip), config.throttle().maxFailuresPerIp())) {
                return secondsLeft(ip);
            }
            return Uni.createFrom().item(0L);
        });
    }

    public Uni<Void> failed(String email, String clientIp) {
        return count(accountKey(email)).chain(() -> count(ipKey(clientIp)));
    }

    public Uni<Void> succeeded(String email) {
        return redis.key().del(accountKey(email)).replaceWithVoid();
    }

    private Uni<Void> count(String key) {
        return redis.value(Long.class).incr(key).flatMap(count -> count == 1
                ? redis.key().expire(key, config.throttle().window()).replaceWithVoid()
                : Uni.createFrom().voidItem());
    }

    private Uni<Long> secondsLeft(String key) {
        return redis.key().ttl(key).map(ttl -> Math.max(1, ttl));
    }

    private static boolean over(Long count, int max) {
        return count != null && count >= max;
    }

    /** Hashed, so that Redis holds no email addresses. */
    private String accountKey(String email) {
        return config.redisPrefix() + "login-failures:account:"
                + Sha256.hex(email.trim().toLowerCase(Locale.ROOT));
    }

    private String ipKey(String clientIp) {
        return config.redisPrefix() + "login-failures:ip:" + (clientIp == null ? "unknown" : clientIp);
    }
}
