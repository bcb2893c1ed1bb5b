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
import dev.scalableapi.gateway.ratelimit.RateLimitTarget.TierLimits;
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
import java.util.Map;

/**
 * {@code GET /api/v1/me}: the signed-in user (login token) or the owner of the API key presented, and the
 * caller's rate-limit state right now — looked at, not spent. The rate limit is null while Redis cannot answer.
 */
@Path("/api/v1/me")
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    private static final Logger LOG = Logger.getLogger(MeResource.class);

    @RegisterForReflection
    public record RateLimitState(String policy, long limit, long remaining, long resetEpochSeconds,
            long windowSeconds) {

        static RateLimitState of(RateLimitDecision d) {
            return new RateLimitState(d.policy(), d.limit(), d.remaining(), d.resetEpochSeconds(), d.windowSeconds());
        }
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
    private final TierLimits limits;

    MeResource(TokenStore tokens, KeyLookup keys, KeysConfig keysConfig, UserStore users, GatewayRateLimiter limiter, TierLimits limits) {
        this.tokens = tokens;
        this.keys = keys;
        this.keysConfig = keysConfig;
        this.users = users;
        this.limiter = limiter;
        this.limits = limits;
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
                return state("user:" + u.id(), u.tier(), null).map(state -> new MeView(u, null, state));
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
            return users.byId(key.ownerId()).flatMap(owner -> state("key:" + key.id(), key.tier(),
                    key.rateLimitPerMinute()).map(state -> new MeView(owner.orElseThrow(
                            () -> new ApiException(ErrorCode.AUTH_INVALID_KEY, "Invalid API key")), key.id(), state)));
        });
    }

    private Uni<RateLimitState> state(String subject, String tier, Integer override) {
        long limit = override != null && override > 0 ? override : limits.limitOf(tier);
        return Uni.createFrom().completionStage(() -> limiter.peek(subject, tier, limit).toCompletionStage())
                .map(decision -> decision.map(RateLimitState::of).orElse(null));
    }
}
