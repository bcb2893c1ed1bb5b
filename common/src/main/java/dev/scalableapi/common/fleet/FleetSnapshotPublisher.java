package dev.scalableapi.common.fleet;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Publishes the service's {@link FleetSnapshotSource} into Redis every interval, and once more on shutdown so the
 * last interval is not lost. One publish at a time: a tick that finds the previous one still waiting on Redis is
 * skipped (what it would have carried is still in the source, for the next one), so two publishes never send the
 * same counts. A service without a source (the balancer) publishes nothing.
 */
@ApplicationScoped
public class FleetSnapshotPublisher {

    private static final Logger LOG = Logger.getLogger(FleetSnapshotPublisher.class);
    /** Longest shutdown waits for the last publishes. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Vertx vertx;
    private final FleetSnapshotSource<?> source;
    private long timer = -1;
    /** The publish still waiting on Redis, or null. */
    private CompletableFuture<Void> inFlight;

    @Inject
    FleetSnapshotPublisher(Vertx vertx, Instance<FleetSnapshotSource<?>> sources) {
        this(vertx, sources.isResolvable() ? sources.get() : null);
    }

    FleetSnapshotPublisher(Vertx vertx, FleetSnapshotSource<?> source) {
        this.vertx = vertx;
        this.source = source;
    }

    void start(@Observes StartupEvent event) {
        if (source != null) {
            timer = vertx.setPeriodic(source.interval().toMillis(), id -> publish());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (source == null) {
            return;
        }
        vertx.cancelTimer(timer);
        try {
            CompletableFuture<Void> previous;
            synchronized (this) {
                previous = inFlight;
            }
            if (previous != null) {
                previous.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            publish().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.debugf("Last fleet snapshot not published on shutdown: %s", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Publishes what was recorded since the last snapshot Redis took, unless one still waits; never fails. */
    synchronized CompletableFuture<Void> publish() {
        return inFlight != null ? inFlight : publish(source);
    }

    private <S> CompletableFuture<Void> publish(FleetSnapshotSource<S> from) {
        S snapshot = from.take();
        if (snapshot == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        inFlight = done;
        // Never given up on mid-way: a write is a Redis MULTI/EXEC, and a cancelled one goes back to the pool still
        // inside MULTI, so whatever runs next on that connection gets "QUEUED" (seen in CI: logins and admin pages
        // failing). A write that hangs keeps later ticks skipped until the client fails it; shutdown waits TIMEOUT.
        Uni.createFrom().deferred(() -> from.write(snapshot)).subscribe().with(
                written -> finished(() -> from.published(snapshot), done),
                failure -> {
                    LOG.debugf("Fleet snapshot not published, kept for the next: %s", failure.toString());
                    finished(() -> from.kept(snapshot), done);
                });
        return done;
    }

    private void finished(Runnable outcome, CompletableFuture<Void> done) {
        synchronized (this) {
            outcome.run();
            inFlight = null;
        }
        done.complete(null);
    }
}
