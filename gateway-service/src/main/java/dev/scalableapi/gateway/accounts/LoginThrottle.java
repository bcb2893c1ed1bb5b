package dev.scalableapi.gateway.accounts;

import dev.scalableapi.gateway.security.Sha256;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;

/**
 * Brute-force throttling of logins: every password check is reserved first, per account and per client address,
 * in one Lua script that checks both counters and counts the attempt in both, or in neither, atomically — so
 * however many attempts arrive in parallel, at most {@code max-failures-per-account} per account and
 * {@code max-failures-per-ip} per address are ever checked against bcrypt in a window. Past either limit,
 * attempts are refused (429, {@code Retry-After} = what is left of that counter's window) before any password is
 * checked.
 * <p>
 * The script sets each counter's expiry in the same atomic step as its count, and gives one to a counter found
 * without (left by an older gateway whose separate {@code EXPIRE} was lost): a counter always ends, so no account
 * or address is ever locked for good.
 * <p>
 * A reservation stays counted when the password was wrong. A successful login clears its account's counter and
 * gives back its address reservation (the address counts failures only, so many people behind one NAT can sign
 * in); an attempt that was never checked (bcrypt pool full, PostgreSQL down) gives both back. Counters live in
 * Redis, so every gateway replica sees the same count. Both keys of a script are on one server: the accounts'
 * Redis client is a single server, not a cluster.
 */
@ApplicationScoped
public class LoginThrottle {

    /** KEYS: account, address; ARGV: limit per account, limit per address, window in ms. 0 or ms to wait. */
    private static final String RESERVE = """
            local window = tonumber(ARGV[3])
            for i = 1, 2 do
              if tonumber(redis.call('GET', KEYS[i]) or '0') >= tonumber(ARGV[i]) then
                local ttl = redis.call('PTTL', KEYS[i])
                if ttl < 0 then
                  redis.call('PEXPIRE', KEYS[i], window)
                  ttl = window
                end
                return ttl
              end
            end
            for i = 1, 2 do
              if redis.call('INCR', KEYS[i]) == 1 or redis.call('PTTL', KEYS[i]) < 0 then
                redis.call('PEXPIRE', KEYS[i], window)
              end
            end
            return 0""";

    /** KEYS: counters to give one reservation back to; a counter that expired meanwhile is left alone. */
    private static final String RELEASE = """
            for i = 1, #KEYS do
              if tonumber(redis.call('GET', KEYS[i]) or '0') > 0 then
                redis.call('DECR', KEYS[i])
              end
            end
            return 0""";

    /** KEYS: account, address. DECR keeps the address counter's expiry. */
    private static final String SUCCEED = """
            redis.call('DEL', KEYS[1])
            if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then
              redis.call('DECR', KEYS[2])
            end
            return 0""";

    private final ReactiveRedisDataSource redis;
    private final AccountsConfig config;

    LoginThrottle(ReactiveRedisDataSource redis, AccountsConfig config) {
        this.redis = redis;
        this.config = config;
    }

    /**
     * Reserves one password check for this account and address: 0 when reserved (then, unless the password
     * was wrong, {@link #succeeded} or {@link #unchecked} must follow), else the seconds until another
     * attempt is allowed, with nothing counted. A wrong password needs no further call: its reservation stays
     * counted until the window ends.
     */
    public Uni<Long> reserve(String email, String clientIp) {
        return redis.execute("EVAL", RESERVE, "2", accountKey(email), addressKey(clientIp),
                        Integer.toString(config.throttle().maxFailuresPerAccount()),
                        Integer.toString(config.throttle().maxFailuresPerIp()),
                        Long.toString(config.throttle().window().toMillis()))
                .map(reply -> {
                    long waitMs = reply.toLong();
                    return waitMs <= 0 ? 0L : Math.max(1L, (waitMs + 999) / 1000);
                });
    }

    public Uni<Void> succeeded(String email, String clientIp) {
        return redis.execute("EVAL", SUCCEED, "2", accountKey(email), addressKey(clientIp)).replaceWithVoid();
    }

    /** The reserved attempt was never checked: nothing was learnt about the password, so nothing is counted. */
    public Uni<Void> unchecked(String email, String clientIp) {
        return redis.execute("EVAL", RELEASE, "2", accountKey(email), addressKey(clientIp)).replaceWithVoid();
    }

    /** Hashed, so that Redis holds no email addresses. */
    String accountKey(String email) {
        return config.redisPrefix() + "login-failures:account:"
                + Sha256.hex(email.trim().toLowerCase(Locale.ROOT));
    }

    String addressKey(String clientIp) {
        return config.redisPrefix() + "login-failures:ip:" + (clientIp == null ? "unknown" : clientIp);
    }
}
