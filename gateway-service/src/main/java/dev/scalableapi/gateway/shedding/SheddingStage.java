package dev.scalableapi.gateway.shedding;

import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import dev.scalableapi.gateway.pipeline.EdgeErrors;
import dev.scalableapi.gateway.pipeline.Exchange;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * Stage 2: load shedding, ahead of authentication and the rate limiter, so that a refused request costs no key
 * lookup and no round trip to Redis: under overload refusals must be cheap, or they are the overload (seen in
 * {@code bench/run}: shed after the limiter, the gateway spent its CPU refusing and admitted a fifth of the load).
 * A concurrency limit that tightens only while requests queue in front of the services
 * ({@link StandingQueueLimit}) admits a request or answers 503 {@code OVERLOADED} at once, instead of letting the
 * queue grow without bound. Exported as {@code gateway_shedding_limit}, {@code gateway_shedding_in_flight} and
 * {@code gateway_shed_requests_total}.
 */
@ApplicationScoped
public class SheddingStage implements Handler<RoutingContext> {

    /** Ten probes in a default window, so its shortest lag says whether the event loop was behind all along. */
    private static final long LAG_PROBE_MILLIS = 10;

    private final boolean enabled;
    private final StandingQueueLimit limit;
    private final EdgeErrors errors;
    private final Counter shed;

    SheddingStage(SheddingConfig config, EdgeErrors errors, MeterRegistry registry, Vertx vertx) {
        this.enabled = config.enabled();
        this.errors = errors;
        this.limit = new StandingQueueLimit(config, System::nanoTime);
        if (enabled) {
            new EventLoopLag(vertx, LAG_PROBE_MILLIS, limit::eventLoopLag).start();
        }
        Gauge.builder("gateway.shedding.limit", limit, StandingQueueLimit::limit).register(registry);
        Gauge.builder("gateway.shedding.in.flight", limit, StandingQueueLimit::inFlight).register(registry);
        this.shed = Counter.builder("gateway.shed.requests")
                .description("Requests answered 503 OVERLOADED by the concurrency limit").register(registry);
    }

    @Override
    public void handle(RoutingContext rc) {
        if (!enabled) {
            rc.next();
            return;
        }
        if (!limit.tryAcquire()) {
            shed.increment();
            errors.reject(rc, new ApiException(ErrorCode.OVERLOADED, "The gateway is overloaded; retry shortly",
                    Map.of(), 1L));
            return;
        }
        // From the request's arrival: when the gateway itself is the bottleneck, requests queue in its event loop
        // before they get here.
        Exchange exchange = Exchange.of(rc);
        long arrived = exchange.startedNanos();
        rc.addEndHandler(ended -> {
            // Only the services' answers say how long they take: not a 5xx (the upstream failed, was unreachable or
            // timed out), not a client that left, not the gateway's own refusals (401, 403, 429, …, marked with
            // their error code); counting such fast answers would even hide a queue.
            if (ended.succeeded() && rc.response().getStatusCode() < 500 && exchange.errorCode() == null) {
                limit.release(System.nanoTime() - arrived);
            } else {
                limit.release();
            }
        });
        rc.next();
    }
}
