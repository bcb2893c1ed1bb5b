package dev.scalableapi.api.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalableapi.api.resources.view.ResourceView;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The Redis level. Writes go through one Lua script that keeps the newest version: a replica that loaded an old
 * row just before a write cannot overwrite the writer's newer entry, and nothing overwrites a delete's tombstone.
 * Every method degrades to "absent" / "not stored" when Redis fails.
 */
@ApplicationScoped
public class L2Store {

    private static final Logger LOG = Logger.getLogger(L2Store.class);

    static final String PUT_IF_NEWER = """
            local current = redis.call('GET', KEYS[1])
            if current then
              if string.sub(current, 1, 2) == 'D|' then return 0 end
              local version = tonumber(string.match(current, '^(%d+)|'))
              if version and version > tonumber(ARGV[1]) then return 0 end
            end
            redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
            return 1
            """;
    private static final String PUT_IF_NEWER_SHA = sha1(PUT_IF_NEWER);

    private final GuardedRedis redis;
    private final CacheConfig config;
    private final CacheMetrics metrics;
    private final ObjectMapper json;

    /**
     * Ids whose L2 update failed (Redis down) after a committed write: their possibly stale entries are deleted
     * as soon as Redis answers again, so the outage cannot leave an old version fresh in L2.
     */
    private final Map<Long, Long> dirty = new ConcurrentHashMap<>();
    /** Marks dirty ids; the repair clears an id only if it was not marked again while its DEL was in flight. */
    private final AtomicLong dirtyMarks = new AtomicLong();

    L2Store(GuardedRedis redis, CacheConfig config, CacheMetrics metrics, ObjectMapper json) {
        this.redis = redis;
        this.config = config;
        this.metrics = metrics;
        this.json = json;
    }

    /**
     * The entry for {@code id}, fresh or stale, or null when absent or Redis is unavailable. A dirty id (written
     * while Redis was down, not yet repaired) reads as absent: its L2 entry predates the committed write.
     */
    Uni<L2Entry> get(long id) {
        if (dirty.containsKey(id)) {
            return Uni.createFrom().nullItem();
        }
        return redis.send("GET", key(id))
                .map(response -> response == null ? null : decode(response.toString()))
                .onFailure().recoverWithItem(failure -> {
                    metrics.l2Error();
                    LOG.debugf("L2 get failed: %s", failure.toString());
                    return null;
                });
    }

    /** Stores {@code view} unless L2 already holds a newer version or a tombstone. Never fails. */
    Uni<Void> putIfNewer(ResourceView view) {
        return putIfNewer(view, false);
    }

    /** As {@link #putIfNewer(ResourceView)}, after a write: a failure marks the id for repair. */
    Uni<Void> publishWrite(ResourceView view) {
        return putIfNewer(view, true);
    }

    private Uni<Void> putIfNewer(ResourceView view, boolean afterWrite) {
        String payload = view.version() + "|" + (System.currentTimeMillis() + config.l2TtlSeconds() * 1000) + "|"
                + encode(view);
        String[] args = {"1", key(view.id()), Long.toString(view.version()), payload,
                Long.toString(config.staleTtlSeconds())};
        return evalPutIfNewer(args)
                .onFailure().recoverWithItem(failure -> {
                    metrics.l2Error();
                    LOG.debugf("L2 put failed: %s", failure.toString());
                    if (afterWrite) {
                        dirty.put(view.id(), dirtyMarks.incrementAndGet());
                    }
                    return null;
                })
                .replaceWithVoid();
    }

    /** Marks {@code id} deleted so that no in-flight load can resurrect it in L2. Never fails. */
    Uni<Void> tombstone(long id) {
        return redis.send("SET", key(id), "D|", "EX", Long.toString(config.l2TtlSeconds()))
                .onFailure().recoverWithItem(failure -> {
                    metrics.l2Error();
                    dirty.put(id, dirtyMarks.incrementAndGet());
                    return null;
                })
                .replaceWithVoid();
    }

    @Scheduled(every = "${api.cache.repair-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> repairDirty() {
        if (dirty.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Map<Long, Long> snapshot = Map.copyOf(dirty);
        return redis.send("DEL", snapshot.keySet().stream().map(this::key).toArray(String[]::new))
                .invoke(() -> {
                    snapshot.forEach(dirty::remove);
                    LOG.infof("Removed %d possibly stale L2 entries after a Redis outage", snapshot.size());
                })
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Removes every cached resource (SCAN + UNLINK, a batch at a time). Fails if Redis is unavailable. */
    Uni<Long> clear() {
        return clearFrom("0", 0L);
    }

    private Uni<Long> clearFrom(String cursor, long removed) {
        return redis.send("SCAN", cursor, "MATCH", config.keyPrefix() + "*", "COUNT", "500")
                .flatMap(page -> {
                    String next = page.get(0).toString();
                    var keys = page.get(1);
                    Uni<Long> unlinked = keys.size() == 0 ? Uni.createFrom().item(0L)
                            : redis.send("UNLINK", toStrings(keys))
                                    .map(r -> r.toLong());
                    return unlinked.flatMap(n -> "0".equals(next)
                            ? Uni.createFrom().item(removed + n)
                            : clearFrom(next, removed + n));
                });
    }

    private Uni<io.vertx.mutiny.redis.client.Response> evalPutIfNewer(String[] args) {
        String[] withSha = prepend(PUT_IF_NEWER_SHA, args);
        return redis.send("EVALSHA", withSha)
                .onFailure(failure -> String.valueOf(failure.getMessage()).startsWith("NOSCRIPT"))
                .recoverWithUni(() -> redis.send("EVAL", prepend(PUT_IF_NEWER, args)));
    }

    private String key(long id) {
        return config.keyPrefix() + id;
    }

    private L2Entry decode(String raw) {
        if (raw.startsWith("D|")) {
            return new L2Entry(null, 0, true);
        }
        int first = raw.indexOf('|');
        int second = raw.indexOf('|', first + 1);
        if (first < 0 || second < 0) {
            return null;
        }
        try {
            long freshUntil = Long.parseLong(raw.substring(first + 1, second));
            return new L2Entry(json.readValue(raw.substring(second + 1), ResourceView.class), freshUntil, false);
        } catch (NumberFormatException | JsonProcessingException e) {
            LOG.warnf("Ignoring undecodable L2 entry: %s", e.getMessage());
            return null;
        }
    }

    private String encode(ResourceView view) {
        try {
            return json.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String[] toStrings(io.vertx.mutiny.redis.client.Response array) {
        String[] out = new String[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).toString();
        }
        return out;
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static String sha1(String script) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
