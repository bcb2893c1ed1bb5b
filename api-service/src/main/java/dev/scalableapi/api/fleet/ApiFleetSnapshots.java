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
import dev.scalableapi.common.fleet.FleetSnapshotPublisher;
import dev.scalableapi.common.fleet.FleetSnapshotSource;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.sortedset.ScoreRange;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;

/**
 * This replica's {@link ApiReplicaSnapshot} (cache lookups since the last one Redis took, breaker states), written
 * into the fleet's sorted set by the {@link FleetSnapshotPublisher} every interval, even when idle: the snapshot
 * doubles as the replica's heartbeat for the admin API. Lookups of an interval Redis did not take are carried into
 * the next snapshot.
 */
@ApplicationScoped
public class ApiFleetSnapshots implements FleetSnapshotSource<ApiFleetSnapshots.Taken> {

    /** A snapshot's sorted-set member and score, and the cumulative counts it brings Redis up to. */
    public record Taken(long intervalStart, String member, long[] counts) {
    }

    private final ReactiveRedisDataSource redis;
    private final ObjectMapper json;
    private final ResourceCache cache;
    private final BreakerRegistry breakers;
    private final FleetConfig config;
    private final FleetKeys keys;
    private final String instance;
    private long seq;
    /** Cumulative counts already published: l1 hits, l2 hits, loads. */
    private final long[] published = new long[3];

    ApiFleetSnapshots(ReactiveRedisDataSource redis, ObjectMapper json, ResourceCache cache, BreakerRegistry breakers,
            FleetConfig config, InstanceConfig instance) {
        this.redis = redis;
        this.json = json;
        this.cache = cache;
        this.breakers = breakers;
        this.config = config;
        this.keys = new FleetKeys(config.keyPrefix());
        this.instance = instance.id();
    }

    @Override
    public Duration interval() {
        return config.interval();
    }

    @Override
    public Taken take() {
        CacheStats stats = cache.stats();
        long[] now = {stats.l1().hits(), stats.l2().hits(), stats.loads()};
        long intervalSeconds = Math.max(1, config.interval().toSeconds());
        long start = FleetKeys.intervalStart(System.currentTimeMillis(), config.interval());
        List<ApiReplicaSnapshot.Breaker> states = breakers.all().stream()
                .map(b -> new ApiReplicaSnapshot.Breaker(b.name(), b.state(), b.failures(), b.transitions(),
                        b.lastTransitionAt()))
                .toList();
        boolean l2Healthy = states.stream().noneMatch(b -> b.name().equals(GuardedRedis.BREAKER)
                && "OPEN".equals(b.state()));
        long l1Size = stats.l1().size() == null ? 0 : stats.l1().size();
        String member = encode(new ApiReplicaSnapshot(instance, ++seq, start, intervalSeconds,
                now[0] - published[0], now[1] - published[1], now[2] - published[2], l1Size, l2Healthy, states));
        return new Taken(start, member, now);
    }

    @Override
    public Uni<Void> write(Taken snapshot) {
        long oldest = System.currentTimeMillis() / 1000 - config.retention().toSeconds();
        return redis.withTransaction(tx -> Uni.combine().all().unis(
                        tx.sortedSet(String.class).zadd(keys.apiSnapshots(), snapshot.intervalStart(),
                                snapshot.member()),
                        tx.sortedSet(String.class).zremrangebyscore(keys.apiSnapshots(),
                                new ScoreRange<>(Double.NEGATIVE_INFINITY, (double) oldest)))
                        .discardItems())
                .replaceWithVoid();
    }

    @Override
    public void published(Taken snapshot) {
        System.arraycopy(snapshot.counts(), 0, published, 0, published.length);
    }

    @Override
    public void kept(Taken snapshot) {
        // Nothing to keep: the counts Redis did not take are still above the published ones, in the next delta.
    }

    private String encode(ApiReplicaSnapshot snapshot) {
        try {
            return json.writeValueAsString(snapshot);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
