package dev.scalableapi.api.persistence;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Whether PostgreSQL is reachable, so that while it is not, the work that needs it fails at once (503 and
 * {@code Retry-After}) instead of each request waiting for a connection that will not come and piling up. Marked
 * unreachable by a request or probe that lost its connection, or by {@value #SLOW_PROBES} probes in a row that
 * timed out (one slow probe is a busy machine, not an outage: seen in the drills); reachable again by the next
 * probe that answers (every {@code api.database.probe-interval}, so full service is back within about a second).
 */
@ApplicationScoped
public class DatabaseAvailability {

    private static final Logger LOG = Logger.getLogger(DatabaseAvailability.class);
    static final int SLOW_PROBES = 3;

    private final Vertx vertx;
    private final Pool pool;
    private final DatabaseConfig config;
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile boolean reachable = true;
    /** Probes in a row that failed without losing a connection; touched by the one probe in flight only. */
    private int slowProbes;
    private long timer = -1;

    DatabaseAvailability(Vertx vertx, Pool pool, DatabaseConfig config, MeterRegistry registry) {
        this.vertx = vertx;
        this.pool = pool;
        this.config = config;
        Gauge.builder("api.database.reachable", this, a -> a.reachable ? 1 : 0)
                .description("1 while PostgreSQL answers; 0 while reads are served from the caches only")
                .register(registry);
    }

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(config.probeInterval().toMillis(), id -> probe());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    public boolean reachable() {
        return reachable;
    }

    /**
     * Runs {@code work} if PostgreSQL is reachable, else fails at once with {@link DatabaseUnavailableException};
     * a lost connection during the work marks it unreachable for the requests that follow.
     */
    public <T> Uni<T> guard(Supplier<Uni<? extends T>> work) {
        if (!reachable) {
            return Uni.createFrom().failure(new DatabaseUnavailableException());
        }
        return Uni.createFrom().<T>deferred(work).onFailure(DatabaseFailures::isConnectionLost)
                .invoke(failure -> markUnreachable(failure.toString()));
    }

    private void probe() {
        if (!probing.compareAndSet(false, true)) {
            return;
        }
        pool.query("select 1").execute()
                .ifNoItem().after(config.probeTimeout()).fail()
                .subscribe().with(rows -> {
                    slowProbes = 0;
                    probing.set(false);
                    markReachable();
                }, failure -> {
                    if (DatabaseFailures.isConnectionLost(failure) || ++slowProbes >= SLOW_PROBES) {
                        markUnreachable(failure.toString());
                    }
                    probing.set(false);
                });
    }

    private void markReachable() {
        if (!reachable) {
            reachable = true;
            LOG.info("PostgreSQL is reachable again: full service");
        }
    }

    private void markUnreachable(String why) {
        if (reachable) {
            reachable = false;
            LOG.warnf("PostgreSQL is unreachable (%s): serving cached reads only, other requests get 503", why);
        }
    }
}
