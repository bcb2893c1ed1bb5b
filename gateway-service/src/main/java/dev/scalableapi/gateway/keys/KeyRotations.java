package dev.scalableapi.gateway.keys;

import dev.scalableapi.gateway.storage.DatabaseDeadline;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Rotates a key: a new secret replaces the current one, which becomes the previous secret and keeps working for a
 * grace period; the key keeps its id, owner, tier, scopes, limits and usage (the rate limiter counts it as
 * {@code key:<id>} either way). One previous secret at a time: rotating again during a grace ends
 * the older previous secret at once — a client mid-migration needs the secret it had, not every secret it ever had.
 * <p>
 * The grace's end is stored with the key ({@code previous_key_expires_at}) and travels in the record cached under
 * the previous secret, which is refused from that instant on wherever it is cached. The records cached under the
 * replaced secrets (the now-previous one said "current, no grace") are forgotten everywhere
 * ({@link KeyCacheInvalidation}), so a grace of 0 ends the old secret at once.
 */
@ApplicationScoped
public class KeyRotations {

    private final Pool db;
    private final KeyCacheInvalidation invalidation;
    private final DatabaseDeadline deadline;

    KeyRotations(Pool db, KeyCacheInvalidation invalidation, DatabaseDeadline deadline) {
        this.db = db;
        this.invalidation = invalidation;
        this.deadline = deadline;
    }

    /** True if the key existed and was active, and now answers to {@code newKey}. */
    public Uni<Boolean> rotate(long keyId, String newKey, Duration grace) {
        // The locked sub-select reads the row's previous secret as it was, which RETURNING cannot show.
        return deadline.bound(db.preparedQuery("""
                update api_keys k
                set previous_key_hash = k.key_hash,
                    previous_key_expires_at = now() + make_interval(secs => $2),
                    key_hash = $3, prefix = $4
                from (select id, previous_key_hash as dropped from api_keys where id = $1 for update) prior
                where k.id = prior.id and k.status = 'active'
                returning k.previous_key_hash as replaced, prior.dropped""")
                .execute(Tuple.of(keyId, (double) grace.toSeconds(), ApiKeyFormat.hash(newKey),
                        ApiKeyFormat.prefix(newKey))))
                .flatMap(rows -> rows.size() == 0 ? Uni.createFrom().item(false)
                        : invalidation.everywhere(replaced(rows.iterator().next())).replaceWith(true));
    }

    private static List<String> replaced(Row row) {
        List<String> hashes = new ArrayList<>(2);
        hashes.add(row.getString("replaced"));
        String dropped = row.getString("dropped");
        if (dropped != null) {
            hashes.add(dropped);
        }
        return hashes;
    }
}
