package dev.scalableapi.common.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OneSnapshotAtATimeAndALastOneOnShutdownTest {

    /** Numbers its snapshots; Redis answers only when the test says so. */
    static final class Source implements FleetSnapshotSource<Integer> {
        int taken;
        final List<UniEmitter<? super Void>> writes = new CopyOnWriteArrayList<>();
        final List<Integer> published = new ArrayList<>();
        final List<Integer> kept = new ArrayList<>();

        @Override
        public Duration interval() {
            return Duration.ofHours(1);
        }

        @Override
        public Integer take() {
            return ++taken;
        }

        @Override
        public Uni<Void> write(Integer snapshot) {
            return Uni.createFrom().emitter(writes::add);
        }

        @Override
        public void published(Integer snapshot) {
            published.add(snapshot);
        }

        @Override
        public void kept(Integer snapshot) {
            kept.add(snapshot);
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final Source source = new Source();
    private final FleetSnapshotPublisher publisher = new FleetSnapshotPublisher(vertx, source);

    @AfterEach
    void closeVertx() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aTickWhileAPublishWaitsOnRedisTakesNothing() {
        publisher.publish();
        publisher.publish();
        assertEquals(1, source.taken);

        source.writes.get(0).complete(null);
        assertEquals(List.of(1), source.published);
        publisher.publish();
        assertEquals(2, source.taken);
    }

    @Test
    void aSnapshotRedisRefusedIsKeptForTheNext() {
        publisher.publish();
        source.writes.get(0).fail(new IllegalStateException("Redis down"));

        assertEquals(List.of(1), source.kept);
        assertTrue(source.published.isEmpty());
    }

    @Test
    void shutdownWaitsForTheWaitingPublishThenPublishesTheLastInterval() {
        publisher.publish();
        new Thread(() -> {
            source.writes.get(0).complete(null);
            while (source.writes.size() < 2) {
                Thread.onSpinWait();
            }
            source.writes.get(1).complete(null);
        }).start();

        publisher.stop(new ShutdownEvent());

        assertEquals(List.of(1, 2), source.published);
    }
}
