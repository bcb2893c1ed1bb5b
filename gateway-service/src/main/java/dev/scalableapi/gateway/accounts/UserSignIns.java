package dev.scalableapi.gateway.accounts;

import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;

/**
 * Every login token and admin session of a user, indexed per user in Redis, so that a change to the user (role,
 * status, tier, password, or an admin's "sign out everywhere") ends them all at once.
 * <p>
 * Each entry is indexed under its user with the user's identity version it was issued for ({@code users.
 * identity_version}, bumped by a trigger on every such change). {@link #endBefore} deletes the entries of older
 * versions and remembers the newest version it has seen for {@value #MARKER_TTL_HOURS} h; {@link #store} refuses
 * an entry for an older version than that, in the same script — so a sign-in that read the user just before a
 * change and stores its token just after cannot outlive the change. Scripts touch the entries' keys without
 * declaring them: the accounts' Redis client is a single server, not a cluster. The index trims itself: each
 * store drops a few of its members whose entries have expired.
 */
@ApplicationScoped
public class UserSignIns {

    /** Sign-ins read the user a few seconds at most before they store: an hour is ample. */
    private static final int MARKER_TTL_HOURS = 1;

    /** KEYS: entry, index, marker; ARGV: value, TTL in ms, version. 1 if stored, 0 if the user changed since. */
    private static final String STORE = """
            if tonumber(redis.call('GET', KEYS[3]) or '0') > tonumber(ARGV[3]) then
              return 0
            end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            for _, member in ipairs(redis.call('ZRANDMEMBER', KEYS[2], 3)) do
              if redis.call('EXISTS', member) == 0 then
                redis.call('ZREM', KEYS[2], member)
              end
            end
            redis.call('ZADD', KEYS[2], ARGV[3], KEYS[1])
            if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[2]) then
              redis.call('PEXPIRE', KEYS[2], ARGV[2])
            end
            return 1""";

    /** KEYS: index, marker; ARGV: version, marker TTL in ms. How many live entries it deleted. */
    private static final String END_BEFORE = """
            if tonumber(ARGV[1]) > tonumber(redis.call('GET', KEYS[2]) or '0') then
              redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
            end
            local ended = 0
            for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])) do
              ended = ended + redis.call('DEL', member)
            end
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])
            return ended""";

    private final ReactiveRedisDataSource redis;
    private final String redisPrefix;

    @Inject
    UserSignIns(ReactiveRedisDataSource redis, AccountsConfig config) {
        this(redis, config.redisPrefix());
    }

    /** @param redisPrefix the accounts' Redis prefix, under which the indexes and markers live */
    public UserSignIns(ReactiveRedisDataSource redis, String redisPrefix) {
        this.redis = redis;
        this.redisPrefix = redisPrefix;
    }

    /**
     * Stores {@code value} under {@code key} for {@code ttl}, indexed under the user; fails with 409
     * {@code CONFLICT}, nothing stored, when the user changed after {@code version} was read.
     */
    public Uni<Void> store(String key, String value, Duration ttl, long userId, long version) {
        return redis.execute("EVAL", STORE, "3", key, index(userId), marker(userId), value,
                Long.toString(Math.max(1, ttl.toMillis())), Long.toString(version))
                .map(reply -> {
                    if (reply.toLong() != 1) {
                        throw new ApiException(ErrorCode.CONFLICT, "The account changed while signing in; sign in again");
                    }
                    return null;
                });
    }

    /** Ends every token and session of the user issued for a version older than {@code version}; how many. */
    public Uni<Long> endBefore(long userId, long version) {
        return redis.execute("EVAL", END_BEFORE, "2", index(userId), marker(userId), Long.toString(version),
                Long.toString(Duration.ofHours(MARKER_TTL_HOURS).toMillis()))
                .map(reply -> reply.toLong());
    }

    private String index(long userId) {
        return redisPrefix + "user:" + userId + ":sign-ins";
    }

    private String marker(long userId) {
        return redisPrefix + "user:" + userId + ":version";
    }
}
