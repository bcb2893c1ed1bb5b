package dev.scalableapi.gateway.fleet;

import dev.scalableapi.common.fleet.FleetKeys;
import dev.scalableapi.gateway.instance.InstanceConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.OptionalInt;
import org.jboss.logging.Logger;

/**
 * This gateway's heartbeat and the number of gateways alive, for the rate limiter's fallback while Redis is down.
 * Every fleet interval one script stamps this replica in {@link FleetKeys#gatewayHeartbeats()} (score: now),
 * drops replicas silent for {@code staleAfterIntervals} intervals and counts the rest. A script rather than
 * MULTI/EXEC: the heartbeat gives up after one interval, and a transaction given up on mid-way went back to the
 * pool still inside MULTI, so the next command on that connection got "QUEUED" (seen in CI as an admin route's
 * HGETALL failing with "This type doesn't hold an Array/Map type"). The count is the one of the
 * last round trip that succeeded: while Redis is down it stays the fleet as last seen. A replica leaving takes
 * itself out, so the others count it gone at their next heartbeat rather than when it goes stale.
 */
@ApplicationScoped
public class GatewayHeartbeats {

    private static final Logger LOG = Logger.getLogger(GatewayHeartbeats.class);
    private static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(2);
    private static final String BEAT = """
            redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[3])
            return redis.call('ZCARD', KEYS[1])""";

    private final ReactiveRedisDataSource redis;
    private final Vertx vertx;
    private final String key;
    private final String instance;
    private final Duration interval;
    private final long staleMillis;
    /** Gateways counted by the last successful heartbeat; 0 before the first. */
    private volatile int liveGateways;
    private long timer = -1;

    @Inject
    GatewayHeartbeats(ReactiveRedisDataSource redis, Vertx vertx, FleetConfig config, InstanceConfig instance) {
        this(redis, vertx, config, instance.id());
    }

    /** One replica's heartbeats; tests build a second one to stand for another gateway. */
    public GatewayHeartbeats(ReactiveRedisDataSource redis, Vertx vertx, FleetConfig config, String instance) {
        this.redis = redis;
        this.vertx = vertx;
        this.key = new FleetKeys(config.keyPrefix()).gatewayHeartbeats();
        this.instance = instance;
        this.interval = config.interval();
        this.staleMillis = config.interval().toMillis() * Math.max(1, config.staleAfterIntervals());
    }

    void start(@Observes StartupEvent event) {
        beatQuietly();
        timer = vertx.setPeriodic(interval.toMillis(), id -> beatQuietly());
    }

    void stop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(timer);
        try {
            redis.sortedSet(String.class).zrem(key, instance).await().atMost(LEAVE_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.debugf("Heartbeat not withdrawn on shutdown (it goes stale instead): %s", e.toString());
        }
    }

    /** Gateways alive at the last successful heartbeat, this one included (at least 1); empty before the first. */
    public OptionalInt liveGateways() {
        int seen = liveGateways;
        return seen == 0 ? OptionalInt.empty() : OptionalInt.of(seen);
    }

    /** Stamps this replica and counts the live ones; fails (keeping the last count) when Redis does not answer. */
    public Uni<Integer> beat() {
        long now = System.currentTimeMillis();
        return redis.execute("EVAL", BEAT, "1", key, Long.toString(now), instance, Long.toString(now - staleMillis))
                .ifNoItem().after(interval).fail()
                .map(counted -> {
                    liveGateways = (int) Math.max(1, Math.min(Integer.MAX_VALUE, counted.toLong()));
                    return liveGateways;
                });
    }

    private void beatQuietly() {
        beat().subscribe().with(count -> { }, failure ->
                LOG.debugf("Gateway heartbeat not written, keeping the count of %d: %s", liveGateways, failure.toString()));
    }
}
