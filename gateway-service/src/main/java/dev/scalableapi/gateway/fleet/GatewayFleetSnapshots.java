package dev.scalableapi.gateway.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalableapi.common.fleet.FleetKeys;
import dev.scalableapi.common.fleet.FleetSnapshotPublisher;
import dev.scalableapi.common.fleet.FleetSnapshotSource;
import dev.scalableapi.gateway.instance.InstanceConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.sortedset.ScoreRange;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * This replica's {@link GatewaySnapshot}, written by the {@link FleetSnapshotPublisher} every interval in one
 * MULTI/EXEC: the snapshot into the fleet's sorted set (trimmed to the retention) and the hour's counters for the
 * 24-hour totals. Intervals without requests write nothing. If Redis cannot take a snapshot it is kept and merged
 * into the next one, so an outage delays figures but does not lose them (within this replica's lifetime). Failures
 * are counted as {@code gateway_fleet_publish_failures_total}.
 */
@ApplicationScoped
public class GatewayFleetSnapshots implements FleetSnapshotSource<FleetRecorder.Interval> {

    private static final Duration HOUR_TTL = Duration.ofHours(26);
    /** Per-hour counters, in {@link FleetKeys#gatewayHours()}. */
    static final List<String> COUNTERS = List.of("requests", "status4xx", "status5xx", "blocked");

    private final ReactiveRedisDataSource redis;
    private final ObjectMapper json;
    private final FleetRecorder recorder;
    private final FleetConfig config;
    private final FleetKeys keys;
    private final String instance;
    private final Counter failures;
    private long seq;
    /** What Redis did not take, merged into the next snapshot. */
    private FleetRecorder.Interval pending;

    GatewayFleetSnapshots(ReactiveRedisDataSource redis, ObjectMapper json, FleetRecorder recorder,
            FleetConfig config, InstanceConfig instance, MeterRegistry registry) {
        this.redis = redis;
        this.json = json;
        this.recorder = recorder;
        this.config = config;
        this.keys = new FleetKeys(config.keyPrefix());
        this.instance = instance.id();
        this.failures = Counter.builder("gateway.fleet.publish.failures")
                .description("Fleet metric snapshots Redis did not take (kept and merged into the next)")
                .register(registry);
    }

    @Override
    public Duration interval() {
        return config.interval();
    }

    @Override
    public FleetRecorder.Interval take() {
        FleetRecorder.Interval interval = merge(pending, recorder.swap());
        pending = null;
        return interval.requests() == 0 ? null : interval;
    }

    @Override
    public Uni<Void> write(FleetRecorder.Interval interval) {
        long intervalSeconds = config.interval().toSeconds();
        long nowMillis = System.currentTimeMillis();
        long start = FleetKeys.intervalStart(nowMillis, config.interval());
        long hour = Math.floorDiv(nowMillis / 1000, 3600) * 3600;
        String member = encode(new GatewaySnapshot(instance, ++seq, start, intervalSeconds,
                interval.requests(), interval.byClass()[0], interval.byClass()[1], interval.byClass()[2],
                interval.byClass()[3], interval.blocked(), interval.blockedBy(), encode(interval.latency())));
        long oldest = nowMillis / 1000 - config.retention().toSeconds();
        return redis.withTransaction(tx -> {
            List<Uni<Void>> commands = new ArrayList<>();
            commands.add(tx.sortedSet(String.class).zadd(keys.gatewaySnapshots(), start, member).replaceWithVoid());
            commands.add(tx.sortedSet(String.class).zremrangebyscore(keys.gatewaySnapshots(),
                    new ScoreRange<>(Double.NEGATIVE_INFINITY, (double) oldest)).replaceWithVoid());
            String hours = keys.gatewayHours();
            long[] counts = {interval.requests(), interval.byClass()[2], interval.byClass()[3], interval.blocked()};
            for (int i = 0; i < COUNTERS.size(); i++) {
                commands.add(tx.hash(Long.class).hincrby(hours, hour + ":" + COUNTERS.get(i), counts[i])
                        .replaceWithVoid());
            }
            commands.add(tx.hash(Long.class).hdel(hours, expiredFields(hour)).replaceWithVoid());
            if (!interval.blockedBy().isEmpty()) {
                String blockedKey = keys.blockedHour(hour);
                interval.blockedBy().forEach((subject, count) ->
                        commands.add(tx.sortedSet(String.class).zincrby(blockedKey, count, subject).replaceWithVoid()));
                commands.add(tx.key().expire(blockedKey, HOUR_TTL).replaceWithVoid());
            }
            return Uni.join().all(commands).andFailFast().replaceWithVoid();
        }).replaceWithVoid();
    }

    @Override
    public void published(FleetRecorder.Interval interval) {
        // Nothing carried: the recorder already started the next interval.
    }

    @Override
    public void kept(FleetRecorder.Interval interval) {
        failures.increment();
        pending = merge(pending, interval);
    }

    /** Counter fields of the hours just past the 24-hour window (whoever publishes first deletes them). */
    private static String[] expiredFields(long hour) {
        List<String> fields = new ArrayList<>();
        for (int back = 25; back <= 30; back++) {
            for (String counter : COUNTERS) {
                fields.add((hour - back * 3600L) + ":" + counter);
            }
        }
        return fields.toArray(String[]::new);
    }

    private static FleetRecorder.Interval merge(FleetRecorder.Interval a, FleetRecorder.Interval b) {
        if (a == null) {
            return b;
        }
        long[] classes = new long[a.byClass().length];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = a.byClass()[i] + b.byClass()[i];
        }
        Map<String, Long> blockedBy = new HashMap<>(a.blockedBy());
        b.blockedBy().forEach((subject, count) -> blockedBy.merge(subject, count, Long::sum));
        Histogram latency = a.latency().copy();
        latency.add(b.latency());
        return new FleetRecorder.Interval(a.requests() + b.requests(), classes, a.blocked() + b.blocked(), blockedBy,
                latency);
    }

    private static String encode(Histogram histogram) {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
    }

    private String encode(GatewaySnapshot snapshot) {
        try {
            return json.writeValueAsString(snapshot);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
