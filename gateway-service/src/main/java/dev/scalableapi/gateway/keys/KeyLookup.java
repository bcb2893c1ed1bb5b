package dev.scalableapi.gateway.keys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Finds a key by the SHA-256 of its value — its current secret, or the previous one of a rotated key, whose record
 * carries the end of its grace ({@link KeyRecord#graceEndsAt}): in-process copy (≤ {@code local-ttl} old), then
 * Redis, then PostgreSQL (the source of truth). Unknown hashes are remembered briefly too, so a flood of one bad
 * key does not reach the database. Redis failures fall through to PostgreSQL; with PostgreSQL down, keys cached in
 * Redis still work, and when neither store answers, a known key's last answer (≤ {@code stale-ttl} old) does.
 * Lookups that reach a store are counted as {@code gateway_key_lookups_total{source=redis|database}}.
 * <p>
 * A lookup that was under way when its key was {@linkplain #forget forgotten} (revoked, or its row or owner
 * changed) read what may now be stale, so it caches nothing: in process, a per-key eviction stamp newer than the
 * lookup's start keeps its answer out; in Redis, forgetting leaves a tombstone for {@code redis-ttl} that the
 * write of a found key checks in the same script.
 */
// Caffeine loads the classes of each cache shape by name (maximum size, expiry after write):
// a native image keeps only registered ones
@RegisterForReflection(classNames = {"com.github.benmanes.caffeine.cache.SSMSW",
        "com.github.benmanes.caffeine.cache.PSWMS"})
@ApplicationScoped
public class KeyLookup {

    private static final Logger LOG = Logger.getLogger(KeyLookup.class);
    private static final String UNKNOWN = "-";
    private static final Duration REDIS_TIMEOUT = Duration.ofMillis(150);
    /**
     * How long an eviction stamp is kept: far longer than any lookup can take (its Redis and database steps have
     * timeouts of their own), so a lookup that started before an eviction always finds the stamp.
     */
    private static final Duration EVICTION_MEMORY = Duration.ofMinutes(1);

    /** KEYS: entry, tombstone; ARGV: value, TTL in seconds, 1 when a tombstone forbids the write. 1 if written. */
    private static final String STORE = """
            if ARGV[3] == '1' and redis.call('EXISTS', KEYS[2]) == 1 then
              return 0
            end
            redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
            return 1""";

    /** KEYS: entry, tombstone; ARGV: tombstone TTL in seconds. Atomic: a write lands before the delete or not at all. */
    private static final String FORGET = """
            redis.call('SET', KEYS[2], '1', 'EX', ARGV[1])
            redis.call('DEL', KEYS[1])
            return 1""";

    private final Pool db;
    private final ReactiveRedisDataSource redis;
    private final ObjectMapper json;
    private final KeysConfig config;
    /** Bounded, so a burst of distinct unknown keys cannot grow memory without limit. */
    private final Cache<String, Optional<KeyRecord>> local;
    /**
     * The newest answer seen for each known key, kept for {@code stale-ttl}: what authenticates it while neither
     * Redis nor PostgreSQL can answer (a database outage right after Redis lost its copies), instead of a 503.
     */
    private final Cache<String, KeyRecord> lastKnown;
    /** Ticks once per eviction; a lookup notes it when it starts. */
    private final AtomicLong evictionClock = new AtomicLong();
    /** The clock's value at each key's latest eviction. */
    private final Cache<String, Long> evictedAt;
    private final Counter redisLookups;
    private final Counter databaseLookups;

    KeyLookup(Pool db, ReactiveRedisDataSource redis, ObjectMapper json, KeysConfig config, MeterRegistry registry) {
        this.db = db;
        this.redis = redis;
        this.json = json;
        this.config = config;
        // Read on every request: upkeep on the reading thread, not handed to the common pool (see TierPolicies).
        this.local = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(config.localTtl())
                .executor(Runnable::run).build();
        this.lastKnown = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(config.staleTtl())
                .executor(Runnable::run).build();
        this.evictedAt = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(EVICTION_MEMORY)
                .executor(Runnable::run).build();
        this.redisLookups = lookups(registry, "redis");
        this.databaseLookups = lookups(registry, "database");
    }

    private static Counter lookups(MeterRegistry registry, String source) {
        return Counter.builder("gateway.key.lookups").tag("source", source)
                .description("API key lookups that reached a shared store (in-process hits are not counted)")
                .register(registry);
    }

    /**
     * This replica's copy of the answer for {@code hash} ("unknown" included), or null when it has none: the hot
     * path decides without a reactive round at all when it is there.
     */
    public Optional<KeyRecord> cached(String hash) {
        return local.getIfPresent(hash);
    }

    public Uni<Optional<KeyRecord>> byHash(String hash) {
        Optional<KeyRecord> cached = local.getIfPresent(hash);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        long started = evictionClock.get();
        return fromRedis(hash)
                .flatMap(hit -> hit != null ? Uni.createFrom().item(hit) : fromDatabase(hash))
                .onFailure().recoverWithUni(failure -> lastKnownOr(hash, failure))
                .invoke(found -> remember(hash, found, started));
    }

    /** Drops a key from this replica's copies, and keeps lookups already under way from caching it again. */
    public void evict(String hash) {
        evictedAt.put(hash, evictionClock.incrementAndGet());
        local.invalidate(hash);
        lastKnown.invalidate(hash);
    }

    /**
     * Forgets a key everywhere this replica can: its own copies, then the shared Redis copy (leaving a tombstone),
     * then its own copies again, in case a lookup refilled them from the Redis copy meanwhile. Fails when Redis did
     * not answer; this replica's copies are gone either way.
     */
    public Uni<Void> forget(String hash) {
        evict(hash);
        return evictShared(hash).onTermination().invoke(() -> evict(hash));
    }

    private void remember(String hash, Optional<KeyRecord> found, long started) {
        Long evicted = evictedAt.getIfPresent(hash);
        if (evicted != null && evicted > started) {
            return;
        }
        local.put(hash, found);
        found.ifPresent(record -> lastKnown.put(hash, record));
    }

    private Uni<Optional<KeyRecord>> lastKnownOr(String hash, Throwable failure) {
        KeyRecord known = lastKnown.getIfPresent(hash);
        if (known == null) {
            return Uni.createFrom().failure(failure);
        }
        LOG.debugf("Key store unavailable (%s): the last known answer authenticates", failure.toString());
        return Uni.createFrom().item(Optional.of(known));
    }

    /**
     * Drops a key from Redis and leaves a tombstone for {@code redis-ttl}: a lookup that read the key before and
     * writes its answer after cannot bring the old answer back.
     */
    Uni<Void> evictShared(String hash) {
        return redis.execute("EVAL", FORGET, "2", config.redisPrefix() + hash, tombstone(hash),
                Long.toString(Math.max(1, config.redisTtl().toSeconds()))).replaceWithVoid();
    }

    private String tombstone(String hash) {
        return config.redisPrefix() + "tombstone:" + hash;
    }

    /** Null when Redis has nothing (or fails); otherwise the cached answer, "unknown" included. */
    private Uni<Optional<KeyRecord>> fromRedis(String hash) {
        redisLookups.increment();
        return redis.value(String.class).get(config.redisPrefix() + hash)
                .ifNoItem().after(REDIS_TIMEOUT).fail()
                .map(raw -> raw == null ? null : decode(raw))
                .onFailure().recoverWithItem(failure -> {
                    LOG.debugf("Key cache unavailable: %s", failure.toString());
                    return null;
                });
    }

    private Uni<Optional<KeyRecord>> fromDatabase(String hash) {
        databaseLookups.increment();
        return db.preparedQuery("""
                select k.id, k.owner_id, u.role, u.status as owner_status, k.tier, k.scopes, k.rate_limit_per_minute,
                       k.rate_limits::text as rate_limits, k.expires_at, k.status,
                       case when k.key_hash = $1 then null else k.previous_key_expires_at end as grace_ends_at
                from api_keys k join users u on u.id = k.owner_id
                where k.key_hash = $1 or k.previous_key_hash = $1""")
                .execute(Tuple.of(hash))
                .ifNoItem().after(config.databaseTimeout()).fail()
                .map(rows -> rows.size() == 0 ? Optional.<KeyRecord>empty()
                        : Optional.of(toRecord(rows.iterator().next(), json)))
                .call(found -> store(hash, found));
    }

    private Uni<Void> store(String hash, Optional<KeyRecord> found) {
        Duration ttl = found.isPresent() ? config.redisTtl() : config.localTtl();
        String value = found.map(this::encode).orElse(UNKNOWN);
        return redis.execute("EVAL", STORE, "2", config.redisPrefix() + hash, tombstone(hash), value,
                        Long.toString(Math.max(1, ttl.toSeconds())), found.isPresent() ? "1" : "0")
                .ifNoItem().after(REDIS_TIMEOUT).fail()
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private static KeyRecord toRecord(Row row, ObjectMapper json) {
        OffsetDateTime expires = row.getOffsetDateTime("expires_at");
        OffsetDateTime graceEnds = row.getOffsetDateTime("grace_ends_at");
        Set<String> scopes = Arrays.stream(row.getString("scopes").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
        return new KeyRecord(row.getLong("id"), row.getLong("owner_id"), row.getString("role"), row.getString("tier"),
                scopes, row.getInteger("rate_limit_per_minute"), KeyLimits.read(json, row.getString("rate_limits")),
                expires == null ? null : expires.toInstant(),
                "revoked".equals(row.getString("status")), "disabled".equals(row.getString("owner_status")),
                graceEnds == null ? null : graceEnds.toInstant());
    }

    /** The cached answer, or null when the entry cannot be decoded (then it counts as a miss). */
    private Optional<KeyRecord> decode(String raw) {
        if (UNKNOWN.equals(raw)) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(raw, KeyRecord.class));
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private String encode(KeyRecord key) {
        try {
            return json.writeValueAsString(key);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
