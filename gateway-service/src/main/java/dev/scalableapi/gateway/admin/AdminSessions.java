package dev.scalableapi.gateway.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalableapi.gateway.accounts.UserAccount;
import dev.scalableapi.gateway.security.RandomTokens;
import dev.scalableapi.gateway.security.Sha256;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.GetExArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;

/**
 * Server-side admin sessions in Redis. The cookie carries a random id (≈ 256 bits); Redis keys hold its SHA-256,
 * so a Redis dump reveals no usable session. Each use slides the idle timeout (one {@code GETEX}); the maximum
 * lifetime is checked against the creation time. Each session has its own CSRF token (synchronizer pattern).
 */
@ApplicationScoped
public class AdminSessions {

    /** A new session: the id for the cookie and the CSRF token for the client. */
    public record Created(String id, AdminSession session) {
    }

    private final ReactiveRedisDataSource redis;
    private final ObjectMapper json;
    private final AdminConfig.Session config;

    AdminSessions(ReactiveRedisDataSource redis, ObjectMapper json, AdminConfig config) {
        this.redis = redis;
        this.json = json;
        this.config = config.session();
    }

    public Uni<Created> create(UserAccount user) {
        String id = RandomTokens.base62(43);
        AdminSession session = new AdminSession(user, RandomTokens.base62(43), Instant.now());
        return redis.value(String.class).setex(key(id), config.idleTimeout().toSeconds(), encode(session))
                .replaceWith(new Created(id, session));
    }

    public Uni<Optional<AdminSession>> resolve(String id) {
        if (id == null || id.isEmpty() || id.length() > 100) {
            return Uni.createFrom().item(Optional.empty());
        }
        return redis.value(String.class).getex(key(id), new GetExArgs().ex(config.idleTimeout()))
                .map(raw -> Optional.ofNullable(raw).map(this::decode)
                        .filter(s -> s.createdAt().plus(config.maxLifetime()).isAfter(Instant.now())));
    }

    public Uni<Void> delete(String id) {
        return redis.key().del(key(id)).replaceWithVoid();
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
