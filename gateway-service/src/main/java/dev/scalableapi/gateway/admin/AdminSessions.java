package dev.scalableapi.gateway.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalableapi.gateway.accounts.UserAccount;
import dev.scalableapi.gateway.accounts.UserSignIns;
import dev.scalableapi.gateway.security.RandomTokens;
import dev.scalableapi.gateway.security.Sha256;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.GetExArgs;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Server-side admin sessions in Redis. The cookie carries a random id (≈ 256 bits); Redis keys hold its SHA-256,
 * so a Redis dump reveals no usable session. Each use slides the idle timeout (one {@code GETEX}); the maximum
 * lifetime is checked against the creation time. The cookie slides too: on the first use {@code cookie-renew-after}
 * after it was last issued, it is issued again with the same id, living the idle timeout again but never past the
 * maximum lifetime. Each session has its own CSRF token (synchronizer pattern), unchanged when the cookie is
 * re-issued. Sessions are indexed per user ({@link UserSignIns}): a change to the user ends them.
 */
@ApplicationScoped
public class AdminSessions {

    private static final Logger LOG = Logger.getLogger(AdminSessions.class);

    /** A new session: the id for the cookie and the CSRF token for the client. */
    public record Created(String id, AdminSession session) {
    }

    /**
     * A live session, and the cookie to send with this response when it is due to be issued again (else null).
     */
    public record Resolved(AdminSession session, Cookie renewedCookie) {
    }

    private final ReactiveRedisDataSource redis;
    private final ObjectMapper json;
    private final AdminConfig.Session config;
    private final UserSignIns signIns;

    AdminSessions(ReactiveRedisDataSource redis, ObjectMapper json, AdminConfig config, UserSignIns signIns) {
        this.redis = redis;
        this.json = json;
        this.config = config.session();
        this.signIns = signIns;
    }

    /** A session for the user as read at {@code identityVersion}; 409 if the user changed since. */
    public Uni<Created> create(UserAccount user, long identityVersion) {
        String id = RandomTokens.base62(43);
        Instant now = Instant.now();
        AdminSession session = new AdminSession(user, RandomTokens.base62(43), now, now);
        return signIns.store(key(id), encode(session), config.idleTimeout(), user.id(), identityVersion)
                .replaceWith(new Created(id, session));
    }

    public Uni<Optional<Resolved>> resolve(String id) {
        if (id == null || id.isEmpty() || id.length() > 100) {
            return Uni.createFrom().item(Optional.empty());
        }
        Instant now = Instant.now();
        return redis.value(String.class).getex(key(id), new GetExArgs().ex(config.idleTimeout()))
                .flatMap(raw -> {
                    AdminSession session = raw == null ? null : decode(raw);
                    if (session == null || !ends(session).isAfter(now)) {
                        return Uni.createFrom().item(Optional.<Resolved>empty());
                    }
                    if (Duration.between(session.cookieIssuedAt(), now).compareTo(config.cookieRenewAfter()) < 0) {
                        return Uni.createFrom().item(Optional.of(new Resolved(session, null)));
                    }
                    return renew(id, session, now);
                });
    }

    /**
     * Notes the new issue time (only if the session still exists: a session ended meanwhile stays ended) and
     * hands out the cookie; if Redis refuses, the request goes on with the cookie it has.
     */
    private Uni<Optional<Resolved>> renew(String id, AdminSession session, Instant now) {
        AdminSession renewed = new AdminSession(session.user(), session.csrfToken(), session.createdAt(), now);
        return redis.value(String.class).set(key(id), encode(renewed), new SetArgs().xx().keepttl())
                .map(v -> Optional.of(new Resolved(renewed, cookie(id, renewed, now))))
                .onFailure().recoverWithItem(failure -> {
                    LOG.debugf("Session cookie not renewed: %s", failure.toString());
                    return Optional.of(new Resolved(session, null));
                });
    }

    public Uni<Void> delete(String id) {
        return redis.key().del(key(id)).replaceWithVoid();
    }

    /** The session cookie: it lives the idle timeout, never past the session's maximum lifetime. */
    public Cookie cookie(String id, AdminSession session, Instant now) {
        Duration left = Duration.between(now, ends(session));
        long maxAge = Math.max(1, Math.min(config.idleTimeout().toSeconds(), left.toSeconds()));
        return cookie(id, maxAge);
    }

    /** A cookie that makes the browser forget the session. */
    public Cookie clearedCookie() {
        return cookie("", 0);
    }

    private Cookie cookie(String value, long maxAgeSeconds) {
        return Cookie.cookie(config.cookieName(), value).setPath("/").setHttpOnly(true)
                .setSecure(config.secureCookie()).setSameSite(CookieSameSite.STRICT).setMaxAge(maxAgeSeconds);
    }

    private Instant ends(AdminSession session) {
        return session.createdAt().plus(config.maxLifetime());
    }

    private String key(String id) {
        return config.redisPrefix() + Sha256.hex(id);
    }

    private String encode(AdminSession session) {
        try {
            return json.writeValueAsString(session);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private AdminSession decode(String raw) {
        try {
            return json.readValue(raw, AdminSession.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable admin session", e);
        }
    }
}
