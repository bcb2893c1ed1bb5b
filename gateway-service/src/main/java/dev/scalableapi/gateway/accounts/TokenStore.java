package dev.scalableapi.gateway.accounts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalableapi.gateway.security.RandomTokens;
import dev.scalableapi.gateway.security.Sha256;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Opaque bearer tokens for users ({@code ut_} + 43 base62 characters, ≈ 256 bits). Redis holds the user under
 * the token's SHA-256 with the token's TTL; the token itself is stored nowhere. Logout deletes the entry, so a
 * revoked token fails on every gateway replica at once (there is no local copy); a change to the user ends all of
 * the user's tokens ({@link UserSignIns}).
 */
@ApplicationScoped
public class TokenStore {

    public static final String TOKEN_PREFIX = "ut_";

    private final ReactiveRedisDataSource redis;
    private final ObjectMapper json;
    private final AccountsConfig config;
    private final UserSignIns signIns;

    TokenStore(ReactiveRedisDataSource redis, ObjectMapper json, AccountsConfig config, UserSignIns signIns) {
        this.redis = redis;
        this.signIns = signIns;
        this.json = json;
        this.config = config;
    }

    public static boolean looksLikeToken(String candidate) {
        return candidate != null && candidate.startsWith(TOKEN_PREFIX) && candidate.length() <= 100;
    }

    /** A new token for the user as read at {@code identityVersion}; 409 if the user changed since. */
    public Uni<String> issue(UserAccount user, long identityVersion) {
        String token = TOKEN_PREFIX + RandomTokens.base62(43);
        return signIns.store(key(token), encode(user), config.tokenTtl(), user.id(), identityVersion)
                .replaceWith(token);
    }

    public Uni<Optional<UserAccount>> resolve(String token) {
        if (!looksLikeToken(token)) {
            return Uni.createFrom().item(Optional.empty());
        }
        return redis.value(String.class).get(key(token)).map(raw -> Optional.ofNullable(raw).map(this::decode));
    }

    /** True when the token existed. */
    public Uni<Boolean> revoke(String token) {
        if (!looksLikeToken(token)) {
            return Uni.createFrom().item(false);
        }
        return redis.key().del(key(token)).map(deleted -> deleted > 0);
    }

    private String key(String token) {
        return config.redisPrefix() + "token:" + Sha256.hex(token);
    }

    private String encode(UserAccount user) {
        try {
            return json.writeValueAsString(user);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private UserAccount decode(String raw) {
        try {
            return json.readValue(raw, UserAccount.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable token entry", e);
        }
    }
}
