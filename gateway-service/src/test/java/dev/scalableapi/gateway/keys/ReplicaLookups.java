package dev.scalableapi.gateway.keys;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.mutiny.sqlclient.Pool;

/** A second replica's key lookup, for tests of other packages that build a replica by hand. */
public final class ReplicaLookups {

    private ReplicaLookups() {
    }

    public static KeyLookup lookup(Pool pool, ReactiveRedisDataSource redis, KeysConfig config) {
        return new KeyLookup(pool, redis, new ObjectMapper().registerModule(new JavaTimeModule()), config,
                new SimpleMeterRegistry());
    }
}
