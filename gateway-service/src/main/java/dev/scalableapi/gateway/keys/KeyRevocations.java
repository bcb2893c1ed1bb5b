package dev.scalableapi.gateway.keys;

import dev.scalableapi.gateway.storage.DatabaseDeadline;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Revokes a key so that every gateway replica refuses it within 5 s: the row is marked revoked, the shared Redis
 * copy deleted (with a tombstone, {@link KeyLookup#forget}), and a message tells each replica to drop its
 * in-process copy at once. If Redis does not answer, the revocation stands in PostgreSQL and reaches every replica
 * through {@code credentials/CredentialChanges}, which also deletes the Redis copy once Redis answers again.
 */
@ApplicationScoped
public class KeyRevocations {

    private static final Logger LOG = Logger.getLogger(KeyRevocations.class);

    private final Pool db;
    private final ReactiveRedisDataSource redis;
    private final KeyLookup lookup;
    private final KeysConfig config;
    private final DatabaseDeadline deadline;

    KeyRevocations(Pool db, ReactiveRedisDataSource redis, KeyLookup lookup, KeysConfig config,
            DatabaseDeadline deadline) {
        this.db = db;
        this.deadline = deadline;
        this.redis = redis;
        this.lookup = lookup;
        this.config = config;
    }

    void listen(@Observes StartupEvent event) {
        redis.pubsub(String.class).subscribe(config.revocationChannel(), lookup::evict)
                .subscribe().with(subscriber -> LOG.debug("Listening for key revocations"),
                        failure -> LOG.warnf("Key revocation channel unavailable (local TTL still applies): %s",
                                failure.toString()));
    }

    /** True if the key existed and was active. */
    public Uni<Boolean> revoke(long keyId) {
        return deadline.bound(db.preparedQuery("""
                update api_keys set status = 'revoked', revoked_at = now()
                where id = $1 and status = 'active' returning key_hash""")
                .execute(Tuple.of(keyId)))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(false);
                    }
                    String hash = rows.iterator().next().getString("key_hash");
                    return lookup.forget(hash)
                            .flatMap(v -> redis.pubsub(String.class).publish(config.revocationChannel(), hash))
                            .onFailure().invoke(f -> LOG.warnf("Key %d revoked in the database; Redis unreachable "
                                    + "(%s), replicas learn it from PostgreSQL", keyId, f.toString()))
                            .onFailure().recoverWithNull()
                            .replaceWith(true);
                });
    }
}
