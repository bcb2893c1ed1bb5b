package dev.scalableapi.gateway.admin;

import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import dev.scalableapi.gateway.accounts.TokenStore;
import dev.scalableapi.gateway.accounts.UserAccount;
import dev.scalableapi.gateway.pipeline.Credential;
import dev.scalableapi.gateway.pipeline.Exchange;
import dev.scalableapi.gateway.ratelimit.RateLimitEnforcement;
import dev.scalableapi.gateway.ratelimit.RateLimitTarget;
import dev.scalableapi.gateway.ratelimit.TierPolicies;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Guards every {@code /api/v1/admin/**} route but login. The caller is the admin session of the cookie (then a
 * state-changing method must carry the session's CSRF token in {@value #CSRF_HEADER}) or an admin's login token
 * in {@code Authorization: Bearer} (no CSRF: a browser never sends it on its own). No valid credential: 401
 * {@code AUTH_REQUIRED}; not an admin: 403 {@code FORBIDDEN}; bad CSRF token: 403 {@code CSRF_REJECTED}. Admin
 * calls are rate-limited per user like any other, and carry the rate-limit headers the dashboard shows.
 */
public class AdminAccessFilter {

    private static final Logger LOG = Logger.getLogger(AdminAccessFilter.class);

    public static final String CSRF_HEADER = "X-CSRF-Token";
    static final String ADMIN_ROOT = "/api/v1/admin";
    static final String LOGIN = ADMIN_ROOT + "/login";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final AdminSessions sessions;
    private final TokenStore tokens;
    private final RateLimitEnforcement rateLimit;
    private final TierPolicies tiers;
    private final String cookieName;

    AdminAccessFilter(AdminSessions sessions, TokenStore tokens, RateLimitEnforcement rateLimit, TierPolicies tiers,
            AdminConfig config) {
        this.sessions = sessions;
        this.tokens = tokens;
        this.rateLimit = rateLimit;
        this.tiers = tiers;
        this.cookieName = config.session().cookieName();
    }

    // Pre-matching: an unauthenticated caller learns nothing about routes, methods or media types (401 first).
    @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION)
    public Uni<Response> check(RoutingContext rc) {
        String path = rc.normalizedPath();
        if (!(path.equals(ADMIN_ROOT) || path.startsWith(ADMIN_ROOT + "/")) || path.equals(LOGIN)) {
            return Uni.createFrom().nullItem();
        }
        Cookie cookie = rc.request().getCookie(cookieName);
        // Only a login token or the session cookie: API keys do not reach the admin API.
        Credential presented = Exchange.of(rc).credential();
        String token = presented != null && presented.bearer() ? presented.value() : null;
        Uni<AdminCaller> caller;
        if (cookie != null && token == null) {
            caller = fromSession(rc, cookie.getValue());
        } else if (token != null) {
            caller = tokens.resolve(token).map(user -> user.map(u -> new AdminCaller(u, null, null))
                    .orElseThrow(() -> required("The token is invalid, expired or signed out")));
        } else {
            caller = Uni.createFrom().failure(required("Sign in: an admin session or an admin's login token "
                    + "is required"));
        }
        return caller.flatMap(admin -> {
            if (!admin.user().isAdmin()) {
                return Uni.createFrom().failure(new ApiException(ErrorCode.FORBIDDEN, "Admin role required"));
            }
            AdminCaller.put(rc, admin);
            return rateLimit(rc, admin.user());
        }).onFailure(failure -> !(failure instanceof ApiException))
                .invoke(failure -> LOG.warnf("Admin access check failed: %s", failure.toString()))
                .onFailure(failure -> !(failure instanceof ApiException)).transform(failure -> new ApiException(
                ErrorCode.SERVICE_UNAVAILABLE, "Sessions are unavailable right now; try again shortly", Map.of(),
                5L));
    }

    private Uni<AdminCaller> fromSession(RoutingContext rc, String sessionId) {
        return sessions.resolve(sessionId).map(found -> {
            AdminSessions.Resolved resolved = found.orElseThrow(
                    () -> required("The session has ended; sign in again"));
            AdminSession session = resolved.session();
            if (!SAFE_METHODS.contains(rc.request().method().name())
                    && !sameSecret(rc.request().getHeader(CSRF_HEADER), session.csrfToken())) {
                throw new ApiException(ErrorCode.CSRF_REJECTED,
                        "Missing or wrong " + CSRF_HEADER + " header for this session");
            }
            if (resolved.renewedCookie() != null) {
                rc.response().addCookie(resolved.renewedCookie());
            }
            return new AdminCaller(session.user(), sessionId, session.csrfToken());
        });
    }

    private Uni<Response> rateLimit(RoutingContext rc, UserAccount user) {
        RateLimitTarget target = new RateLimitTarget("user:" + user.id(), user.tier(),
                tiers.forAdminRoutes(user.tier()));
        return Uni.createFrom().completionStage(() -> rateLimit.enforce(rc, target).toCompletionStage())
                .replaceWith((Response) null);
    }

    private static ApiException required(String message) {
        return new ApiException(ErrorCode.AUTH_REQUIRED, message);
    }

    private static boolean sameSecret(String presented, String expected) {
        return presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }
}
