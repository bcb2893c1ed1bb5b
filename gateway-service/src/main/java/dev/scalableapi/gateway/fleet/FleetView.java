package dev.scalableapi.gateway.fleet;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** The admin API's fleet-wide figures (records only; {@link FleetMetrics} computes them). */
public final class FleetView {

    private FleetView() {
    }

    /** Latency percentiles in milliseconds; null when there were no requests. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Latency(Double p50, Double p95, Double p99) {
    }

    /** Shares of cache lookups answered by L1, by L2, and by the database (null without lookups). */
    @RegisterForReflection
    public record CacheRates(long lookups, long l1Hits, long l2Hits, long misses, Double l1HitRate, Double l2HitRate,
            Double missRate) {

        static CacheRates of(long l1, long l2, long misses) {
            long lookups = l1 + l2 + misses;
            return new CacheRates(lookups, l1, l2, misses, rate(l1, lookups), rate(l2, lookups),
                    rate(misses, lookups));
        }
    }

    @RegisterForReflection
    public record BlockedSubject(String subject, long blocked) {
    }

    @RegisterForReflection
    public record Totals24h(long requests, long clientErrors, long serverErrors, long rateLimited) {
    }

    /**
     * {@code GET /admin/metrics/current}.
     *
     * @param requestsPerSecond API requests per second over the last minute, all gateway replicas
     * @param errorRate         share of those answered 5xx
     * @param last24h           the current hour and the 23 before it
     */
    @RegisterForReflection
    public record Current(String window, double requestsPerSecond, long requestsLastMinute, Double errorRate,
            Double clientErrorRate, Latency latency, CacheRates cache, Totals24h last24h,
            List<BlockedSubject> topBlocked, int gatewayReplicas, int apiReplicas, List<ServerHealth> servers) {
    }

    /** One point of {@code GET /admin/metrics/history}: one interval (or several merged, for long ranges). */
    @RegisterForReflection
    public record Point(long t, long seconds, long requests, double requestsPerSecond, long serverErrors,
            Double errorRate, long rateLimited, Latency latency, CacheRates cache) {
    }

    @RegisterForReflection
    public record History(long from, long to, long stepSeconds, List<Point> points) {
    }

    /** A balancer backend (an api replica) as the balancer sees it. */
    @RegisterForReflection
    public record ServerHealth(String id, boolean healthy, String breaker, int inFlight, int ejections) {
    }

    static Double rate(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }
}
