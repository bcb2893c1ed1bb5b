package dev.scalableapi.api.external;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * Calls the downstream behind a timeout and a circuit breaker; when either trips, the fallback answers with the
 * last good reply (or none) and says so. Thresholds: {@code CIRCUIT_FAILURE_THRESHOLD} (rolling window),
 * {@code CIRCUIT_FAILURE_RATIO}, {@code CIRCUIT_RESET_TIMEOUT} (ms open before a trial call), {@code EXTERNAL_TIMEOUT}.
 */
@ApplicationScoped
public class ExternalService {

    public static final String BREAKER = "external-downstream";

    @RegisterForReflection
    public record ExternalResult(boolean fallback, String reason, FlakyDownstream.Reply reply) {
    }

    private final FlakyDownstream downstream;
    private final AtomicReference<FlakyDownstream.Reply> lastGood = new AtomicReference<>();

    ExternalService(FlakyDownstream downstream) {
        this.downstream = downstream;
    }

    @Timeout(1000)
    @CircuitBreaker(requestVolumeThreshold = 5, failureRatio = 0.5, delay = 30000, successThreshold = 1)
    @CircuitBreakerName(BREAKER)
    @Fallback(fallbackMethod = "fallback")
    public Uni<ExternalResult> fetch() {
        return downstream.call()
                .invoke(lastGood::set)
                .map(reply -> new ExternalResult(false, null, reply));
    }

    Uni<ExternalResult> fallback(Throwable failure) {
        String reason = failure instanceof org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException
                ? "circuit open"
                : failure instanceof org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException
                        ? "timeout" : "downstream error";
        return Uni.createFrom().item(new ExternalResult(true, reason, lastGood.get()));
    }
}
