package dev.scalableapi.api.breakers;

import dev.scalableapi.api.instance.FleetConfig;
import dev.scalableapi.common.fleet.FleetKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * A breaker reset from the admin API reaches one replica (through the balancer); it resets its own breaker and
 * publishes the name so every other replica resets the same breaker.
 */
@ApplicationScoped
public class BreakerResets {

    private static final Logger LOG = Logger.getLogger(BreakerResets.class);

    private final ReactiveRedisDataSource redis;
    private final BreakerRegistry breakers;
    private final String channel;

    BreakerResets(ReactiveRedisDataSource redis, BreakerRegistry breakers, FleetConfig fleet) {
        this.redis = redis;
        this.breakers = breakers;
        this.channel = new FleetKeys(fleet.keyPrefix()).breakerResets();
    }

    void listen(@Observes StartupEvent event) {
        redis.pubsub(String.class).subscribe(channel, name -> {
            if (breakers.exists(name)) {
                breakers.reset(name);
                LOG.infof("Circuit breaker %s reset on request of another replica", name);
            }
        }).subscribe().with(subscriber -> LOG.debug("Listening for breaker resets"),
                failure -> LOG.warnf("Breaker reset channel unavailable: %s", failure.toString()));
    }

    /** Resets here, then tells the other replicas; the local reset stands even if Redis is down. */
    public Uni<BreakerRegistry.BreakerView> resetEverywhere(String name) {
        BreakerRegistry.BreakerView view = breakers.reset(name);
        return redis.pubsub(String.class).publish(channel, name)
                .onFailure().invoke(f -> LOG.warnf("Breaker %s reset here only; Redis unavailable: %s", name,
                        f.toString()))
                .onFailure().recoverWithNull()
                .replaceWith(view);
    }
}
