package dev.scalableapi.api.external;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Stands in for a third-party API: answers after a configurable latency and fails at a configurable rate.
 * Both can be changed at run time (fault drills, tests) without a restart.
 */
@ApplicationScoped
public class FlakyDownstream {

    @io.quarkus.runtime.annotations.RegisterForReflection
    public record Reply(String source, String observedAt, int value) {
    }

    private volatile double failureRate;
    private volatile Duration latency;

    FlakyDownstream(ExternalConfig config) {
        this.failureRate = config.failureRate();
        this.latency = config.latency();
    }

    public Uni<Reply> call() {
        Uni<Reply> reply = Uni.createFrom().item(() -> {
            if (ThreadLocalRandom.current().nextDouble() < failureRate) {
                throw new DownstreamFailure("simulated downstream failure");
            }
            return new Reply("downstream", Instant.now().toString(), ThreadLocalRandom.current().nextInt(1000));
        });
        return latency.isZero() ? reply : Uni.createFrom().voidItem()
                .onItem().delayIt().by(latency)
                .flatMap(v -> reply);
    }

    public void setFailureRate(double failureRate) {
        if (failureRate < 0 || failureRate > 1) {
            throw new IllegalArgumentException("failure rate must be within 0..1");
        }
        this.failureRate = failureRate;
    }

    public void setLatency(Duration latency) {
        this.latency = latency;
    }

    public double failureRate() {
        return failureRate;
    }

    public Duration latency() {
        return latency;
    }

    static final class DownstreamFailure extends RuntimeException {
        DownstreamFailure(String message) {
            super(message);
        }
    }
}
