package dev.scalableapi.gateway.auth;

import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import dev.scalableapi.common.errors.ErrorEnvelopes;
import dev.scalableapi.common.identity.Identity;
import dev.scalableapi.gateway.accounts.TokenStore;
import dev.scalableapi.gateway.accounts.UserAccount;
import dev.scalableapi.gateway.keys.ApiKeyFormat;
import dev.scalableapi.gateway.keys.KeyLookup;
import dev.scalableapi.gateway.keys.KeyRecord;
import dev.scalableapi.gateway.keys.KeysConfig;
import dev.scalableapi.gateway.pipeline.Credential;
import dev.scalableapi.gateway.pipeline.EdgeErrors;
import dev.scalableapi.gateway.pipeline.Exchange;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stage 3: who is calling. An API key comes in {@code X-API-Key} or {@code Authorization: Bearer sk_…}; a user's
 * login token in {@code Authorization: Bearer ut_…} (read and write, limited per user by the user's tier); without
 * either the caller is anonymous, which only the anonymous methods allow. Credentials are never logged; failures
 * are counted as {@code gateway_auth_failures_total{code}}. A client address that presented too many unknown
 * credentials gets 429 for credentials this gateway does not hold already, before any lookup
 * ({@link FailedCredentialLimit}).
 */
@ApplicationScoped
public class AuthStage implements Handler<RoutingContext> {

    private static final String READ = "read";
    private static final String WRITE = "write";

    private final KeyLookup keys;
    private final KeysConfig keysConfig;
    private final TokenStore tokens;
    private final AuthConfig config;
    private final FailedCredentialLimit failedCredentials;
    private final EdgeErrors errors;
    private final MeterRegistry registry;
    private final Map<ErrorCode, Counter> failures = new ConcurrentHashMap<>();

    AuthStage(KeyLookup keys, KeysConfig keysConfig, TokenStore tokens, AuthConfig config, FailedCredentialLimit failedCredentials,
            EdgeErrors errors, MeterRegistry registry) {
        this.keys = keys;
        this.keysConfig = keysConfig;
        this.tokens = tokens;
        this.config = config;
        this.failedCredentials = failedCredentials;
        this.errors = errors;
        this.registry = registry;
    }

    @Override
    public void handle(RoutingContext rc) {
        String method = rc.request().method().name();
        Credential presented = Exchange.of(rc).credential();
        if (presented == null) {
            if (config.anonymousMethods().contains(method)) {
                rc.next();
            } else {
                fail(rc, ErrorCode.AUTH_REQUIRED, "An API key is required for " + method + " requests");
            }
            return;
        }
        String credential = presented.value();
        String address = Exchange.of(rc).clientNetwork();
        if (presented.isUserToken()) {
            if (!refusedForFailures(rc, address)) {
                withUserToken(rc, credential, address);
            }
            return;
        }
        if (!ApiKeyFormat.isAcceptable(credential, keysConfig)) {
            failedCredentials.record(address);
            fail(rc, ErrorCode.AUTH_INVALID_KEY, "Invalid API key");
            return;
        }
        String hash = ApiKeyFormat.hash(credential);
        Optional<KeyRecord> cached = keys.cached(hash);
        if (cached != null) {
            withKey(rc, method, cached, address);
            return;
        }
        if (refusedForFailures(rc, address)) {
            return;
        }
        keys.byHash(hash).subscribe().with(found -> withKey(rc, method, found, address),
                failure -> errors.reject(rc, new ApiException(ErrorCode.SERVICE_UNAVAILABLE,
                        "Could not verify the API key right now", Map.of(), 2L)));
    }

    private boolean refusedForFailures(RoutingContext rc, String address) {
        if (!failedCredentials.exhausted(address)) {
            return false;
        }
        failures.computeIfAbsent(ErrorCode.RATE_LIMIT_EXCEEDED, this::failureCounter).increment();
        rc.response().putHeader("Retry-After", Long.toString(failedCredentials.windowSeconds()));
        errors.reject(rc, new ApiException(ErrorCode.RATE_LIMIT_EXCEEDED,
                "Too many unknown credentials from this address; try again later"));
        return true;
    }

    private void withKey(RoutingContext rc, String method, Optional<KeyRecord> found, String address) {
        if (found.isEmpty()) {
            failedCredentials.record(address);
            fail(rc, ErrorCode.AUTH_INVALID_KEY, "Invalid API key");
            return;
        }
        KeyRecord key = found.get();
        ApiException refusal = key.refusal(Instant.now());
        String scope = config.readMethods().contains(method) ? READ : WRITE;
        if (refusal != null) {
            fail(rc, refusal.code(), refusal.getMessage());
        } else if (!key.scopes().contains(scope)) {
            fail(rc, ErrorCode.INSUFFICIENT_SCOPE, "This API key lacks the '" + scope + "' scope");
        } else {
            Exchange exchange = Exchange.of(rc);
            exchange.identity(new Identity(key.ownerId(), key.id(), key.ownerRole(), key.scopes(), key.tier()));
            exchange.rateLimitPerMinute(key.rateLimitPerMinute());
            exchange.keyLimits(key.limits());
            rc.next();
        }
    }

    private void withUserToken(RoutingContext rc, String token, String address) {
        tokens.resolve(token).subscribe().with(found -> {
            if (found.isEmpty()) {
                failedCredentials.record(address);
                fail(rc, ErrorCode.AUTH_REQUIRED, "The token is invalid, expired or signed out");
                return;
            }
            UserAccount user = found.get();
            Exchange.of(rc).identity(new Identity(user.id(), null, user.role(), Set.of(READ, WRITE), user.tier()));
            rc.next();
        }, failure -> errors.reject(rc, new ApiException(ErrorCode.SERVICE_UNAVAILABLE,
                "Could not verify the token right now", Map.of(), 2L)));
    }

    private Counter failureCounter(ErrorCode code) {
        return Counter.builder("gateway.auth.failures").tag("code", code.name())
                .description("Requests refused by authentication, by error code").register(registry);
    }

    private void fail(RoutingContext rc, ErrorCode code, String message) {
        failures.computeIfAbsent(code, this::failureCounter).increment();
        if (code == ErrorCode.AUTH_REQUIRED || code.status() == 401) {
            rc.response().putHeader("WWW-Authenticate", ErrorEnvelopes.CHALLENGE);
        }
        errors.reject(rc, new ApiException(code, message));
    }
}
