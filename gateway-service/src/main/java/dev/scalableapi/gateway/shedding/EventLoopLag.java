package dev.scalableapi.gateway.shedding;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Measures how late a timer task runs on one of the gateway's event loops, every {@code interval}. When the
 * gateway's own CPU is the bottleneck, requests wait in front of its event loops, before any of its stages can time
 * them; a timer task waits in the same queue, so its lateness is that queue's delay.
 */
final class EventLoopLag {

    private final Vertx vertx;
    private final long intervalMillis;
    private final LongConsumer lagNanos;

    EventLoopLag(Vertx vertx, long intervalMillis, LongConsumer lagNanos) {
        this.vertx = vertx;
        this.intervalMillis = intervalMillis;
        this.lagNanos = lagNanos;
    }

    /** Arms the first timer; each one arms the next on its event loop. */
    void start() {
        arm();
    }

    private void arm() {
        long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        vertx.setTimer(intervalMillis, id -> {
            lagNanos.accept(Math.max(0, System.nanoTime() - due));
            arm();
        });
    }
}
