package dev.scalableapi.api.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalableapi.api.breakers.BreakerRegistry;
import dev.scalableapi.api.cache.CacheStats;
import dev.scalableapi.api.cache.GuardedRedis;
import dev.scalableapi.api.cache.ResourceCache;
import dev.scalableapi.api.instance.FleetConfig;
import dev.scalableapi.api.instance.InstanceConfig;
import dev.scalableapi.common.fleet.ApiReplicaSnapshot;
import dev.scalableapi.common.fleet.FleetKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.sortedset.ScoreRange;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Every interval, publishes this replica's {@link ApiReplicaSnapshot} (cache lookups since the last one, breaker
 * states) into the fleet's sorted set in Redis, even when idle: the snapshot doubles as the replica's heartbeat
 * for the admin API. Lookups of an interval Redis did not take are carried into the next snapshot.
 */
@ApplicationScoped
public class FleetSnapshotPublisher {

    private static final Logger LOG = Logger.getLogger(FleetSnapshotPublisher.class);

    private final Vertx vertx;
    private final ReactiveRedisDataSource redis;
    private final ObjectMapper json;
    private final ResourceCache cache;
    private final BreakerRegistry breakers;
    private final FleetConfig config;
    private final FleetKeys keys;
    private final String instance;
    private long seq;
    /** A publish still waiting on Redis: the next tick skips, or both would send the same counts. */
    private boolean publishing;
    /** Cumulative counts already published: l1 hits, l2 hits, loads. */
    private final long[] published = new long[3];

    FleetSnapshotPublisher(Vertx vertx, ReactiveRedisDataSource redis, ObjectMapper json, ResourceCache cache,
            BreakerRegistry breakers, FleetConfig config, InstanceConfig instance) {
        this.vertx = vertx;
        this.redis = redis;
        this.json = json;
        this.cache = cache;
        this.breakers = breakers;
        this.config = config;
        this.keys = new FleetKeys(config.keyPrefix());
        this.instance = instance.id();
    }

    void start(@Observes StartupEvent event) {
        vertx.setPeriodic(config.interval().toMillis(), id -> publish());
    }

    synchronized void publish() {
        if (publishing) {
            return;
        }
        publishing = true;
        CacheStats stats = cache.stats();
        long[] now = {stats.l1().hits(), stats.l2().hits(), stats.loads()};
        long[] delta = {now[0] - published[0], now[1] - published[1], now[2] - published[2]};
        long intervalSeconds = Math.max(1, config.interval().toSeconds());
        long nowMillis = System.currentTimeMillis();
        long start = FleetKeys.intervalStart(nowMillis, config.interval());
        List<ApiReplicaSnapshot.Breaker> states = breakers.all().stream()
                .map(b -> new ApiReplicaSnapshot.Breaker(b.name(), b.state(), b.failures(), b.transitions(),
                        b.lastTransitionAt()))
                .toList();
        boolean l2Healthy = states.stream().noneMatch(b -> b.name().equals(GuardedRedis.BREAKER)
                && "OPEN".equals(b.state()));
        long l1Size = stats.l1().size() == null ? 0 : stats.l1().size();
        String member = encode(new ApiReplicaSnapshot(instance, ++seq, start, intervalSeconds, delta[0], delta[1],
                delta[2], l1Size, l2Healthy, states));
        long oldest = nowMillis / 1000 - config.retention().toSeconds();
        redis.withTransaction(tx -> Uni.combine().all().unis(
                        tx.sortedSet(String.class).zadd(keys.apiSnapshots(), start, member),
                        tx.sortedSet(String.class).zremrangebyscore(keys.apiSnapshots(),
                                new ScoreRange<>(Double.NEGATIVE_INFINITY, (double) oldest)))
                        .discardItems())
                .ifNoItem().after(Duration.ofSeconds(2)).fail()
                .subscribe().with(
                        done -> finished(now),
                        failure -> {
                            LOG.debugf("Fleet snapshot not published (kept for the next): %s", failure.toString());
                            finished(null);
                        });
    }

    /** {@code counts}: what Redis now holds as published, or null when it took nothing. */
    private synchronized void finished(long[] counts) {
        if (counts != null) {
            System.arraycopy(counts, 0, published, 0, counts.length);
        }
        publishing = false;
    }

    private String encode(ApiReplicaSnapshot snapshot) {
        try {
            return json.writeValueAsString(snapshot);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
