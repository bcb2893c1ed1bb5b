package dev.scalableapi.gateway.shedding;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import dev.scalableapi.gateway.pipeline.EdgeErrors;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;

/**
 * Stage 4: load shedding. An adaptive concurrency limit (Gradient2: it shrinks when latency rises above the
 * no-load latency, grows when it does not) admits a request or answers 503 {@code OVERLOADED} at once, instead of
 * letting queues grow without bound. Exported as {@code gateway_shedding_limit}, {@code gateway_shedding_in_flight}
 * and {@code gateway_shed_requests_total}.
 */
@ApplicationScoped
public class SheddingStage implements Handler<RoutingContext> {

    private final boolean enabled;
    private final SimpleLimiter<Void> limiter;
    private final EdgeErrors errors;
    private final Counter shed;

    SheddingStage(SheddingConfig config, EdgeErrors errors, MeterRegistry registry) {
        this.enabled = config.enabled();
        this.errors = errors;
        this.limiter = SimpleLimiter.newBuilder()
                .named("gateway")
                .limit(Gradient2Limit.newBuilder()
                        .initialLimit(config.initialLimit())
                        .minLimit(config.minLimit())
                        .maxConcurrency(config.maxLimit())
                        .build())
                .build();
        Gauge.builder("gateway.shedding.limit", limiter, SimpleLimiter::getLimit).register(registry);
        Gauge.builder("gateway.shedding.in.flight", limiter, SimpleLimiter::getInflight).register(registry);
        this.shed = Counter.builder("gateway.shed.requests")
                .description("Requests answered 503 OVERLOADED by the adaptive concurrency limit").register(registry);
    }

    @Override
    public void handle(RoutingContext rc) {
        if (!enabled) {
            rc.next();
            return;
        }
        Optional<Limiter.Listener> admitted = limiter.acquire(null);
        if (admitted.isEmpty()) {
            shed.increment();
            errors.reject(rc, new ApiException(ErrorCode.OVERLOADED, "The gateway is overloaded; retry shortly",
                    Map.of(), 1L));
            return;
        }
        Limiter.Listener listener = admitted.get();
        rc.addEndHandler(ended -> {
            int status = rc.response().getStatusCode();
            if (ended.failed() || status == 503 || status == 504) {
                listener.onDropped(); // overload or timeouts downstream: a signal to lower the limit
            } else {
                listener.onSuccess();
            }
        });
        rc.next();
    }
}
