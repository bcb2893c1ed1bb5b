package dev.scalableapi.gateway.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalableapi.common.fleet.ApiReplicaSnapshot;
import dev.scalableapi.common.fleet.FleetKeys;
import dev.scalableapi.gateway.fleet.FleetView.BlockedSubject;
import dev.scalableapi.gateway.fleet.FleetView.CacheRates;
import dev.scalableapi.gateway.fleet.FleetView.Current;
import dev.scalableapi.gateway.fleet.FleetView.History;
import dev.scalableapi.gateway.fleet.FleetView.Latency;
import dev.scalableapi.gateway.fleet.FleetView.Point;
import dev.scalableapi.gateway.fleet.FleetView.ServerHealth;
import dev.scalableapi.gateway.fleet.FleetView.Totals24h;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.sortedset.ScoreRange;
import io.quarkus.redis.datasource.sortedset.ScoredValue;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;
import org.jboss.logging.Logger;

/**
 * Merges the snapshots every gateway and api replica published into fleet-wide figures: the last minute, the
 * last 24 hours (hourly counters) and the per-interval history. Reads only Redis (per-server health comes from the
 * balancer status the caller passes in), so any gateway replica gives the same answer.
 */
// HdrHistogram decodes a histogram through its class's constructor, found by reflection: native images need it kept
@RegisterForReflection(targets = Histogram.class)
@ApplicationScoped
public class FleetMetrics {

    private static final Logger LOG = Logger.getLogger(FleetMetrics.class);
    private static final int MAX_POINTS = 360;
    private static final int TOP_BLOCKED = 10;

    private final ReactiveRedisDataSource redis;
    private final ObjectMapper json;
    private final FleetConfig config;
    private final FleetKeys keys;

    FleetMetrics(ReactiveRedisDataSource redis, ObjectMapper json, FleetConfig config) {
        this.redis = redis;
        this.json = json;
        this.config = config;
        this.keys = new FleetKeys(config.keyPrefix());
    }

    /** Longest history range, in minutes: what the snapshots' retention keeps. */
    public long maxHistoryMinutes() {
        return config.retention().toMinutes();
    }

    /** {@code balancerStatus}: the balancer's {@code /lb/status} data (null when it did not answer). */
    public Uni<Current> current(long nowSeconds, JsonObject balancerStatus) {
        long from = nowSeconds - 60;
        Uni<List<GatewaySnapshot>> gateways = gatewaySnapshots(from, nowSeconds);
        Uni<List<ApiReplicaSnapshot>> apis = apiSnapshots(from, nowSeconds);
        Uni<Totals24h> totals = totals24h(nowSeconds);
        Uni<List<BlockedSubject>> blocked = topBlocked(nowSeconds);
        return Uni.combine().all().unis(gateways, apis, totals, blocked).asTuple().map(t -> {
            List<GatewaySnapshot> gw = t.getItem1();
            List<ApiReplicaSnapshot> api = t.getItem2();
            Point minute = point(from, 60, gw, api);
            return new Current("60s", minute.requestsPerSecond(), minute.requests(), minute.errorRate(),
                    FleetView.rate(gw.stream().mapToLong(GatewaySnapshot::status4xx).sum(), minute.requests()),
                    minute.latency(), minute.cache(), t.getItem3(), t.getItem4(),
                    (int) gw.stream().map(GatewaySnapshot::instance).distinct().count(),
                    (int) api.stream().map(ApiReplicaSnapshot::instance).distinct().count(),
                    backends(balancerStatus).stream().map(b -> new ServerHealth(b.getString("id"),
                            b.getBoolean("healthy", false), b.getString("breaker"), b.getInteger("inFlight", 0),
                            b.getInteger("ejections", 0))).toList());
        });
    }

    /** Per-interval points over the last {@code minutes}, zero-filled, merged to at most 360 points. */
    public Uni<History> history(long nowSeconds, int minutes) {
        long interval = config.interval().toSeconds();
        long step = interval * Math.max(1, (long) Math.ceil(minutes * 60.0 / interval / MAX_POINTS));
        long to = Math.floorDiv(nowSeconds, step) * step;
        long from = to - (long) minutes * 60;
        return Uni.combine().all().unis(gatewaySnapshots(from, nowSeconds), apiSnapshots(from, nowSeconds))
                .asTuple().map(t -> {
                    Map<Long, List<GatewaySnapshot>> gw = new HashMap<>();
                    Map<Long, List<ApiReplicaSnapshot>> api = new HashMap<>();
                    t.getItem1().forEach(s -> gw.computeIfAbsent(bucket(s.intervalStart(), step),
                            k -> new ArrayList<>()).add(s));
                    t.getItem2().forEach(s -> api.computeIfAbsent(bucket(s.intervalStart(), step),
                            k -> new ArrayList<>()).add(s));
                    List<Point> points = new ArrayList<>();
                    for (long start = from; start <= to; start += step) {
                        points.add(point(start, step, gw.getOrDefault(start, List.of()),
                                api.getOrDefault(start, List.of())));
                    }
                    return new History(from, to + step, step, points);
                });
    }

    /** The latest snapshot of every api replica seen within the staleness limit. */
    public Uni<List<ApiReplicaSnapshot>> apiReplicas(long nowSeconds) {
        long fresh = config.interval().toSeconds() * Math.max(1, config.staleAfterIntervals());
        return apiSnapshots(nowSeconds - fresh, nowSeconds).map(snapshots -> {
            Map<String, ApiReplicaSnapshot> latest = new LinkedHashMap<>();
            snapshots.stream().sorted(Comparator.comparingLong(ApiReplicaSnapshot::intervalStart)
                    .thenComparingLong(ApiReplicaSnapshot::seq))
                    .forEach(s -> latest.put(s.instance(), s));
            return new ArrayList<>(latest.values());
        });
    }

    /** The backends in a balancer status; none when the balancer did not answer. */
    static List<JsonObject> backends(JsonObject balancerStatus) {
        JsonArray backends = balancerStatus == null ? new JsonArray()
                : balancerStatus.getJsonArray("backends", new JsonArray());
        List<JsonObject> list = new ArrayList<>(backends.size());
        for (int i = 0; i < backends.size(); i++) {
            list.add(backends.getJsonObject(i));
        }
        return list;
    }

    private static long bucket(long intervalStart, long step) {
        return Math.floorDiv(intervalStart, step) * step;
    }

    private Point point(long start, long seconds, List<GatewaySnapshot> gw, List<ApiReplicaSnapshot> api) {
        long requests = 0;
        long errors = 0;
        long blocked = 0;
        Histogram latency = null;
        for (GatewaySnapshot s : gw) {
            requests += s.requests();
            errors += s.status5xx();
            blocked += s.blocked();
            Histogram h = decode(s.latency());
            if (h != null) {
                if (latency == null) {
                    latency = h;
                } else {
                    latency.add(h);
                }
            }
        }
        long l1 = 0;
        long l2 = 0;
        long misses = 0;
        for (ApiReplicaSnapshot s : api) {
            l1 += s.l1Hits();
            l2 += s.l2Hits();
            misses += s.misses();
        }
        Latency percentiles = latency == null || latency.getTotalCount() == 0 ? new Latency(null, null, null)
                : new Latency(ms(latency, 50), ms(latency, 95), ms(latency, 99));
        return new Point(start, seconds, requests, (double) requests / seconds, errors,
                FleetView.rate(errors, requests), blocked, percentiles, CacheRates.of(l1, l2, misses));
    }

    private static Double ms(Histogram histogram, double percentile) {
        return Math.round(histogram.getValueAtPercentile(percentile) / 10.0) / 100.0;
    }

    private Uni<Totals24h> totals24h(long nowSeconds) {
        long hour = Math.floorDiv(nowSeconds, 3600) * 3600;
        return redis.hash(Long.class).hgetall(keys.gatewayHours()).map(fields -> {
            long[] sums = new long[GatewayFleetSnapshots.COUNTERS.size()];
            for (int back = 0; back < 24; back++) {
                for (int i = 0; i < sums.length; i++) {
                    sums[i] += fields.getOrDefault((hour - back * 3600L) + ":" + GatewayFleetSnapshots.COUNTERS.get(i),
                            0L);
                }
            }
            return new Totals24h(sums[0], sums[1], sums[2], sums[3]);
        });
    }

    /** Rate-limited subjects over the current hour and the 23 before it, summed in Redis (ZUNION). */
    private Uni<List<BlockedSubject>> topBlocked(long nowSeconds) {
        long hour = Math.floorDiv(nowSeconds, 3600) * 3600;
        String[] hours = new String[24];
        for (int back = 0; back < hours.length; back++) {
            hours[back] = keys.blockedHour(hour - back * 3600L);
        }
        return redis.sortedSet(String.class).zunionWithScores(hours).map(all -> all.stream()
                .sorted(Comparator.comparingDouble((ScoredValue<String> v) -> v.score()).reversed()
                        .thenComparing(ScoredValue::value))
                .limit(TOP_BLOCKED)
                .map(v -> new BlockedSubject(v.value(), (long) v.score()))
                .toList());
    }

    private Uni<List<GatewaySnapshot>> gatewaySnapshots(long from, long to) {
        return redis.sortedSet(String.class).zrangebyscore(keys.gatewaySnapshots(), range(from, to))
                .map(members -> decodeAll(members, GatewaySnapshot.class));
    }

    private Uni<List<ApiReplicaSnapshot>> apiSnapshots(long from, long to) {
        return redis.sortedSet(String.class).zrangebyscore(keys.apiSnapshots(), range(from, to))
                .map(members -> decodeAll(members, ApiReplicaSnapshot.class));
    }

    private static ScoreRange<Double> range(long from, long to) {
        return new ScoreRange<>((double) from, (double) to);
    }

    private <T> List<T> decodeAll(List<String> members, Class<T> type) {
        List<T> decoded = new ArrayList<>(members.size());
        for (String member : members) {
            try {
                decoded.add(json.readValue(member, type));
            } catch (JsonProcessingException e) {
                LOG.debugf("Skipping an unreadable fleet snapshot: %s", e.getOriginalMessage());
            }
        }
        return decoded;
    }

    private static Histogram decode(String encoded) {
        if (encoded == null) {
            return null;
        }
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(encoded)), 0);
        } catch (DataFormatException | IllegalArgumentException e) {
            return null;
        }
    }
}
