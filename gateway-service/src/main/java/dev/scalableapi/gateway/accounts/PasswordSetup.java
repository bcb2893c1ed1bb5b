package dev.scalableapi.gateway.accounts;

import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import dev.scalableapi.gateway.security.RandomTokens;
import dev.scalableapi.gateway.security.Sha256;
import dev.scalableapi.gateway.storage.DatabaseDeadline;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * One-time set-password tokens ({@code pst_} + 43 base62 characters, ≈ 256 bits) for users an admin created without
 * a password. Only the token's SHA-256 is stored, with its expiry ({@code gateway.accounts.password-setup-ttl});
 * setting the password deletes every token of the user, so a token works once. An unknown, used or expired
 * token: 422 {@code VALIDATION_FAILED} naming {@code token}, checked before any bcrypt work is spent.
 */
@ApplicationScoped
public class PasswordSetup {

    public static final String TOKEN_PREFIX = "pst_";

    /** A token as handed out: its value (shown once) and when it stops working. */
    public record Issued(String token, Instant expiresAt) {
    }

    private final Pool db;
    private final DatabaseDeadline deadline;
    private final AccountsConfig config;

    PasswordSetup(Pool db, DatabaseDeadline deadline, AccountsConfig config) {
        this.db = db;
        this.deadline = deadline;
        this.config = config;
    }

    /** Stores a new token for the user through {@code client} (the transaction that creates the user). */
    public Uni<Issued> issue(SqlClient client, long userId) {
        String token = TOKEN_PREFIX + RandomTokens.base62(43);
        Instant expiresAt = Instant.now().plus(config.passwordSetupTtl());
        // Expired tokens are useless; dropping them here keeps the table as small as the pending invitations.
        return client.preparedQuery("delete from password_setup_tokens where expires_at <= now()").execute()
                .flatMap(v -> client.preparedQuery(
                                "insert into password_setup_tokens (token_hash, user_id, expires_at) values ($1, $2, $3)")
                        .execute(Tuple.of(Sha256.hex(token), userId, OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC))))
                .map(v -> new Issued(token, expiresAt));
    }

    /** The user the token is valid for, or 422 naming {@code token}; nothing is used up. */
    public Uni<Long> userOf(String token) {
        return deadline.bound(db.preparedQuery(
                        "select user_id from password_setup_tokens where token_hash = $1 and expires_at > now()")
                        .execute(Tuple.of(Sha256.hex(token))))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw invalid();
                    }
                    return rows.iterator().next().getLong("user_id");
                });
    }

    /**
     * Uses the token up and stores the password hash, in one transaction: of two requests with the same token only
     * one sets its password. The user's id, or 422 naming {@code token}.
     */
    public Uni<Long> complete(String token, String passwordHash) {
        return deadline.bound(db.withTransaction(tx -> tx.preparedQuery("""
                        delete from password_setup_tokens where token_hash = $1 and expires_at > now()
                        returning user_id""").execute(Tuple.of(Sha256.hex(token)))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().failure(invalid());
                    }
                    long userId = rows.iterator().next().getLong("user_id");
                    return tx.preparedQuery("update users set password_hash = $2 where id = $1")
                            .execute(Tuple.of(userId, passwordHash))
                            .flatMap(v -> tx.preparedQuery("delete from password_setup_tokens where user_id = $1")
                                    .execute(Tuple.of(userId)))
                            .map(v -> userId);
                })));
    }

    private static ApiException invalid() {
        return new ApiException(ErrorCode.VALIDATION_FAILED, "The set-password token is invalid, used or expired",
                Map.of("token", List.of("invalid, used or expired")), null);
    }
}
