package dev.scalableapi.gateway.keys;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Makes every gateway replica forget the cached records of some key secrets at once, after a change committed in
 * PostgreSQL (revocation, rotation, a new expiry): the shared Redis copy is deleted (with a tombstone,
 * {@link KeyLookup#forget}) and a message on the revocation channel tells each replica to drop its in-process
 * copy. If Redis does not answer, the change still reaches every replica through
 * {@code credentials/CredentialChanges}, which also deletes the Redis copy once Redis answers again.
 */
@ApplicationScoped
public class KeyCacheInvalidation {

    private static final Logger LOG = Logger.getLogger(KeyCacheInvalidation.class);

    private final ReactiveRedisDataSource redis;
    private final KeyLookup lookup;
    private final KeysConfig config;

    public KeyCacheInvalidation(ReactiveRedisDataSource redis, KeyLookup lookup, KeysConfig config) {
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

    /** Never fails: what Redis missed, PostgreSQL's change log brings to every replica. */
    public Uni<Void> everywhere(Collection<String> hashes) {
        return Uni.join().all(hashes.stream().map(this::forget).toList()).andCollectFailures().replaceWithVoid()
                .onFailure().invoke(f -> LOG.warnf("Key change stored in PostgreSQL; Redis unreachable (%s), "
                        + "replicas learn it from PostgreSQL", f.toString()))
                .onFailure().recoverWithNull();
    }

    private Uni<Void> forget(String hash) {
        return lookup.forget(hash)
                .flatMap(v -> redis.pubsub(String.class).publish(config.revocationChannel(), hash));
    }

    /** The hashes of a key row's secrets: {@code key_hash} and, when there is one, {@code previous_key_hash}. */
    static List<String> secretsOf(Row row) {
        List<String> hashes = new ArrayList<>(2);
        hashes.add(row.getString("key_hash"));
        String previous = row.getString("previous_key_hash");
        if (previous != null) {
            hashes.add(previous);
        }
        return hashes;
    }
}
