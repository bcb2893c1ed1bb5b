package dev.scalableapi.gateway.me;

import dev.scalableapi.common.envelope.ApiResponse;
import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import dev.scalableapi.gateway.accounts.TokenStore;
import dev.scalableapi.gateway.accounts.UserAccount;
import dev.scalableapi.gateway.accounts.UserStore;
import dev.scalableapi.gateway.keys.ApiKeyFormat;
import dev.scalableapi.gateway.keys.KeyLookup;
import dev.scalableapi.gateway.keys.KeyRecord;
import dev.scalableapi.gateway.keys.KeysConfig;
import dev.scalableapi.gateway.ratelimit.GatewayRateLimiter;
import dev.scalableapi.gateway.ratelimit.RateLimitDecision;
import dev.scalableapi.gateway.ratelimit.RateLimitPolicies;
import dev.scalableapi.gateway.ratelimit.TierPolicies;
import dev.scalableapi.gateway.pipeline.Credential;
import dev.scalableapi.gateway.pipeline.Exchange;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/me}: the signed-in user (login token) or the owner of the API key presented, and the
 * caller's rate-limit state right now — looked at, not spent. The rate limit is null while Redis cannot answer.
 */
@Path("/api/v1/me")
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    private static final Logger LOG = Logger.getLogger(MeResource.class);

    /**
     * The caller's policies as the next request would find them. The top-level fields describe the policy closest
     * to exhaustion (what the {@code RateLimit} header reports); {@code policies} lists every one.
     */
    @RegisterForReflection
    public record RateLimitState(String policy, long limit, long remaining, long resetEpochSeconds,
            long windowSeconds, List<PolicyState> policies) {

        static RateLimitState of(RateLimitDecision d) {
            RateLimitPolicies all = d.policies();
            List<PolicyState> states = new ArrayList<>(all.size());
            for (int i = 0; i < all.size(); i++) {
                states.add(new PolicyState(all.name(i), all.window(i).id(), d.limit(i), d.remaining(i),
                        d.resetEpochSeconds(i), all.headerSeconds(i)));
            }
            return new RateLimitState(d.policy(), d.limit(), d.remaining(), d.resetEpochSeconds(), d.windowSeconds(),
                    states);
        }
    }

    /**
     * One policy's state: {@code resetEpochSeconds} is when capacity starts coming back (a sliding window's
     * oldest counted request leaves it; a day or month ends, UTC).
     */
    @RegisterForReflection
    public record PolicyState(String name, String window, long limit, long remaining, long resetEpochSeconds,
            long windowSeconds) {
    }

    /** @param keyId the API key used, when the caller came with one */
    @RegisterForReflection
    public record MeView(UserAccount user, Long keyId, RateLimitState rateLimit) {
    }

    private final TokenStore tokens;
    private final KeyLookup keys;
    private final KeysConfig keysConfig;
    private final UserStore users;
    private final GatewayRateLimiter limiter;
    private final TierPolicies tiers;

    MeResource(TokenStore tokens, KeyLookup keys, KeysConfig keysConfig, UserStore users, GatewayRateLimiter limiter,
            TierPolicies tiers) {
        this.tokens = tokens;
        this.keys = keys;
        this.keysConfig = keysConfig;
        this.users = users;
        this.limiter = limiter;
        this.tiers = tiers;
    }

    @GET
    public Uni<ApiResponse<MeView>> me(RoutingContext rc) {
        Credential presented = Exchange.of(rc).credential();
        Uni<MeView> me;
        if (presented != null && presented.isApiKey()) {
            me = byKey(presented.value());
        } else if (presented != null) {
            me = tokens.resolve(presented.value()).flatMap(user -> {
                UserAccount u = user.orElseThrow(() -> new ApiException(ErrorCode.AUTH_REQUIRED,
                        "The token is invalid, expired or signed out"));
                return state("user:" + u.id(), u.tier(), tiers.forTier(u.tier())).map(state -> new MeView(u, null, state));
            });
        } else {
            me = Uni.createFrom().failure(new ApiException(ErrorCode.AUTH_REQUIRED,
                    "Sign in (POST /api/v1/auth/login) and send 'Authorization: Bearer <token>', or send an API key"));
        }
        return me.onFailure(failure -> !(failure instanceof ApiException))
                .invoke(failure -> LOG.warnf("Caller lookup failed on a dependency: %s", failure.toString()))
                .onFailure(failure -> !(failure instanceof ApiException))
                .transform(failure -> new ApiException(ErrorCode.SERVICE_UNAVAILABLE,
                        "Could not look up the caller right now", Map.of(), 2L))
                .map(ApiResponse::of);
    }

    private Uni<MeView> byKey(String apiKey) {
        if (!ApiKeyFormat.isAcceptable(apiKey, keysConfig)) {
            return Uni.createFrom().failure(new ApiException(ErrorCode.AUTH_INVALID_KEY, "Invalid API key"));
        }
        return keys.byHash(ApiKeyFormat.hash(apiKey)).flatMap(found -> {
            KeyRecord key = found.orElseThrow(() -> new ApiException(ErrorCode.AUTH_INVALID_KEY, "Invalid API key"));
            ApiException refusal = key.refusal(Instant.now());
            if (refusal != null) {
                throw refusal;
            }
            RateLimitPolicies policies = tiers.forKey(key.tier(), key.limits(), key.rateLimitPerMinute());
            return users.byId(key.ownerId()).flatMap(owner -> state("key:" + key.id(), key.tier(), policies)
                    .map(state -> new MeView(owner.orElseThrow(
                            () -> new ApiException(ErrorCode.AUTH_INVALID_KEY, "Invalid API key")), key.id(), state)));
        });
    }

    private Uni<RateLimitState> state(String subject, String tier, RateLimitPolicies policies) {
        return Uni.createFrom().completionStage(() -> limiter.peek(subject, tier, policies).toCompletionStage())
                .map(decision -> decision.map(RateLimitState::of).orElse(null));
    }
}
