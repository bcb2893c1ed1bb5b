package dev.scalableapi.gateway.keys;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Revokes a key so that every gateway replica refuses it within {@code local-ttl} (5 s): the row is marked
 * revoked, the shared Redis copy deleted, and a message tells each replica to drop its in-process copy at once.
 * If that message is lost, the in-process copy still expires within {@code local-ttl}.
 */
@ApplicationScoped
public class KeyRevocations {

    private static final Logger LOG = Logger.getLogger(KeyRevocations.class);

    private final Pool db;
    private final ReactiveRedisDataSource redis;
    private final KeyLookup lookup;
    private final KeysConfig config;

    KeyRevocations(Pool db, ReactiveRedisDataSource redis, KeyLookup lookup, KeysConfig config) {
        this.db = db;
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
        return db.preparedQuery("""
                update api_keys set status = 'revoked', revoked_at = now()
                where id = $1 and status = 'active' returning key_hash""")
                .execute(Tuple.of(keyId))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(false);
                    }
                    String hash = rows.iterator().next().getString("key_hash");
                    lookup.evict(hash);
                    return lookup.evictShared(hash)
                            .flatMap(v -> redis.pubsub(String.class).publish(config.revocationChannel(), hash))
                            .onFailure().invoke(f -> LOG.warnf(
                                    "Key %d revoked in the database; Redis unreachable, replicas will see it within %s",
                                    keyId, config.localTtl()))
                            .onFailure().recoverWithNull()
                            .replaceWith(true);
                });
    }
}
