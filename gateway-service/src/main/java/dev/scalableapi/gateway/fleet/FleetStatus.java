package dev.scalableapi.gateway.fleet;

import dev.scalableapi.common.fleet.ApiReplicaSnapshot;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fleet's moving parts for operators: balancer backends, api replicas (from their snapshots), every circuit
 * breaker (api replicas' and the balancer's per backend) and cache figures.
 */
@ApplicationScoped
public class FleetStatus {

    /** @param balancer the balancer's own {@code /lb/status} data, null when it does not answer */
    @RegisterForReflection
    public record Servers(Map<String, Object> balancer, List<ApiReplica> apiReplicas) {
    }

    @RegisterForReflection
    public record ApiReplica(String instance, Instant lastSeen, long l1Entries, boolean l2Healthy) {
    }

    /**
     * @param scope    {@code api} (a replica's breaker around a dependency) or {@code balancer} (a backend's)
     * @param failures failures counted by that breaker's owner, when it counts them
     */
    @RegisterForReflection
    public record Breaker(String scope, String instance, String name, String state, Long failures,
            Long transitions, String lastTransitionAt, boolean resettable) {
    }

    @RegisterForReflection
    public record Cache(FleetView.CacheRates lastMinute, long l1Entries, List<ApiReplica> replicas) {
    }

    /** What every view below is computed from, read once per admin call. */
    public record Inputs(JsonObject balancer, List<ApiReplicaSnapshot> replicas) {
    }

    private final FleetMetrics metrics;
    private final UpstreamAdminCalls upstream;

    FleetStatus(FleetMetrics metrics, UpstreamAdminCalls upstream) {
        this.metrics = metrics;
        this.upstream = upstream;
    }

    /** The balancer's status (null when it does not answer) and the api replicas seen recently. */
    public Uni<Inputs> inputs(long nowSeconds) {
        return Uni.combine().all().unis(upstream.balancerStatus().onFailure().recoverWithNull(),
                metrics.apiReplicas(nowSeconds)).asTuple().map(t -> new Inputs(t.getItem1(), t.getItem2()));
    }

    public Servers servers(Inputs in) {
        return new Servers(in.balancer() == null ? null : in.balancer().getMap(),
                in.replicas().stream().map(FleetStatus::replica).toList());
    }

    public List<Breaker> breakers(Inputs in) {
        List<Breaker> breakers = new ArrayList<>();
        for (ApiReplicaSnapshot replica : in.replicas()) {
            for (ApiReplicaSnapshot.Breaker b : replica.breakers()) {
                breakers.add(new Breaker("api", replica.instance(), b.name(), b.state(), b.failures(),
                        b.transitions(), b.lastTransitionAt(), true));
            }
        }
        for (JsonObject b : FleetMetrics.backends(in.balancer())) {
            breakers.add(new Breaker("balancer", "balancer", "backend:" + b.getString("id"), b.getString("breaker"),
                    b.getLong("failures"), (long) b.getInteger("ejections", 0), null, false));
        }
        return breakers;
    }

    public Cache cache(Inputs in, FleetView.CacheRates lastMinute) {
        List<ApiReplica> replicas = in.replicas().stream().map(FleetStatus::replica).toList();
        return new Cache(lastMinute, replicas.stream().mapToLong(ApiReplica::l1Entries).sum(), replicas);
    }

    private static ApiReplica replica(ApiReplicaSnapshot s) {
        return new ApiReplica(s.instance(), Instant.ofEpochSecond(s.intervalStart() + s.intervalSeconds()),
                s.l1Size(), s.l2Healthy());
    }
}
