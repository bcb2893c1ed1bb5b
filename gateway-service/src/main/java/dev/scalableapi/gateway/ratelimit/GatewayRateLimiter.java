package dev.scalableapi.gateway.ratelimit;

import dev.scalableapi.common.tiers.Tier;
import dev.scalableapi.gateway.ratelimit.RateLimitConfig.FailureMode;
import dev.scalableapi.gateway.ratelimit.RateLimitDecision.Mode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * The rate limiter the stage asks: the exact Redis limiter (its pipeline enforces the short timeout) behind a
 * breaker, and, while Redis cannot answer, the configured failure mode (per-replica in-memory window, fail-open
 * or fail-closed). Every decision is counted by tier, outcome and mode. It never fails: a broken Redis is a
 * fallback decision. The future completes on the caller's context.
 */
public class GatewayRateLimiter {

    private static final Logger LOG = Logger.getLogger(GatewayRateLimiter.class);

    private final RedisRateLimiter redis;
    private final LocalRateLimiter local;
    private final RedisBreaker breaker;
    private final FailureMode failureMode;
    private final LongSupplier clockMillis;
    private final Counter redisErrors;
    /** Every (tier, outcome, mode) counter, registered up front: no lookup or allocation per decision. */
    private final Map<Tier, Map<Mode, Counter[]>> decisions = new EnumMap<>(Tier.class);
    private final Map<Mode, Counter[]> otherTier = new EnumMap<>(Mode.class);

    public GatewayRateLimiter(RedisRateLimiter redis, LocalRateLimiter local, RedisBreaker breaker,
            FailureMode failureMode, LongSupplier clockMillis, MeterRegistry registry) {
        this.redis = redis;
        this.local = local;
        this.breaker = breaker;
        this.failureMode = failureMode;
        this.clockMillis = clockMillis;
        for (Tier tier : Tier.values()) {
            decisions.put(tier, countersOf(tier.id(), registry));
        }
        otherTier.putAll(countersOf("other", registry));
        this.redisErrors = Counter.builder("gateway.ratelimit.redis.errors")
                .description("Rate-limit Redis calls that failed or timed out")
                .register(registry);
        Gauge.builder("gateway.ratelimit.fallback.active", this, l -> l.fallbackActive() ? 1 : 0)
                .description("1 while the rate limiter's Redis breaker is open and decisions use the failure mode")
                .register(registry);
    }

    /**
     * Decides for one request of {@code subject} under all of its {@code policies}: admitted only if each admits
     * it. {@code tier} labels the decision (metrics).
     */
    public Future<RateLimitDecision> isAllowed(String subject, String tier, RateLimitPolicies policies) {
        if (!breaker.tryAcquire()) {
            return Future.succeededFuture(counted(fallback(subject, tier, policies)));
        }
        return redis.acquire(subject, tier, policies)
                .map(decision -> {
                    breaker.onSuccess();
                    return decision;
                })
                .otherwise(failure -> {
                    redisErrors.increment();
                    boolean wasClosed = breaker.state() == RedisBreaker.State.CLOSED;
                    breaker.onFailure();
                    if (wasClosed && breaker.state() != RedisBreaker.State.CLOSED) {
                        LOG.warnf("Rate limiter: Redis unavailable (%s), deciding by %s until it answers again",
                                failure.toString(), failureMode);
                    }
                    return fallback(subject, tier, policies);
                })
                .map(this::counted);
    }

    /**
     * The subject's state without counting a request (for {@code GET /api/v1/me}); empty while Redis cannot
     * answer, since a replica's local fallback window is not the subject's real state.
     */
    public Future<Optional<RateLimitDecision>> peek(String subject, String tier, RateLimitPolicies policies) {
        if (fallbackActive()) {
            return Future.succeededFuture(Optional.empty());
        }
        return redis.peek(subject, tier, policies)
                .map(Optional::of)
                .otherwise(Optional.empty());
    }

    /** True while Redis is known to be down (the breaker is not closed). */
    public boolean fallbackActive() {
        return breaker.state() != RedisBreaker.State.CLOSED;
    }

    public FailureMode failureMode() {
        return failureMode;
    }

    private RateLimitDecision fallback(String subject, String tier, RateLimitPolicies policies) {
        long now = clockMillis.getAsLong();
        return switch (failureMode) {
            case LOCAL_FALLBACK -> local.acquire(subject, tier, policies);
            case FAIL_OPEN -> RateLimitDecision.uniform(true, tier, policies, now, 0, Mode.FAIL_OPEN);
            case FAIL_CLOSED -> RateLimitDecision.uniform(false, tier, policies, now,
                    Math.max(1000, breaker.millisUntilTrial()), Mode.FAIL_CLOSED);
        };
    }

    private RateLimitDecision counted(RateLimitDecision decision) {
        Map<Mode, Counter[]> byMode = Tier.fromId(decision.tier()).map(decisions::get).orElse(otherTier);
        byMode.get(decision.mode())[decision.allowed() ? 0 : 1].increment();
        return decision;
    }

    /** [allowed, limited] for each mode of one tier label. */
    private static Map<Mode, Counter[]> countersOf(String tier, MeterRegistry registry) {
        Map<Mode, Counter[]> byMode = new EnumMap<>(Mode.class);
        for (Mode mode : Mode.values()) {
            byMode.put(mode, new Counter[] {decisionCounter(tier, "allowed", mode, registry),
                    decisionCounter(tier, "limited", mode, registry)});
        }
        return byMode;
    }

    private static Counter decisionCounter(String tier, String outcome, Mode mode, MeterRegistry registry) {
        return Counter.builder("gateway.ratelimit.decisions").description("Rate-limit decisions")
                .tag("tier", tier).tag("outcome", outcome).tag("mode", mode.label()).register(registry);
    }
}
