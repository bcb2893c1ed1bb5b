package dev.scalableapi.gateway.keys;

import dev.scalableapi.gateway.storage.DatabaseDeadline;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Revokes a key so that every gateway replica refuses it within 5 s: the row is marked revoked, and the records
 * cached under its secrets — the current one and, during a rotation's grace, the previous one — are forgotten
 * everywhere ({@link KeyCacheInvalidation}).
 */
@ApplicationScoped
public class KeyRevocations {

    private final Pool db;
    private final KeyCacheInvalidation invalidation;
    private final DatabaseDeadline deadline;

    public KeyRevocations(Pool db, KeyCacheInvalidation invalidation, DatabaseDeadline deadline) {
        this.db = db;
        this.invalidation = invalidation;
        this.deadline = deadline;
    }

    /** True if the key existed and was active. */
    public Uni<Boolean> revoke(long keyId) {
        return deadline.bound(db.preparedQuery("""
                update api_keys set status = 'revoked', revoked_at = now()
                where id = $1 and status = 'active' returning key_hash, previous_key_hash""")
                .execute(Tuple.of(keyId)))
                .flatMap(rows -> rows.size() == 0 ? Uni.createFrom().item(false)
                        : invalidation.everywhere(KeyCacheInvalidation.secretsOf(rows.iterator().next())).replaceWith(true));
    }
}
