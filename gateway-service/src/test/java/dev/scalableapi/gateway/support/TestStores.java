package dev.scalableapi.gateway.support;

import io.vertx.mutiny.core.Vertx;
import org.flywaydb.core.Flyway;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/** The test PostgreSQL and Redis, for tests that build the gateway's parts by hand (no Quarkus boot). */
public final class TestStores {

    private static boolean migrated;

    private TestStores() {
    }

    /** A small pool on the gateway's test database, its schema migrated. */
    public static Pool postgres(Vertx vertx) {
        PgConnectOptions db = new PgConnectOptions().setHost(env("POSTGRES_HOST", "localhost"))
                .setPort(Integer.parseInt(env("POSTGRES_PORT", "5432")))
                .setDatabase(env("GATEWAY_TEST_DB", "scalable_gateway_test"))
                .setUser(env("POSTGRES_USER", "scalable")).setPassword(env("POSTGRES_PASSWORD", "scalable"));
        migrate(db);
        return Pool.newInstance(PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(db)
                .using(vertx.getDelegate()).build());
    }

    public static Redis redis(Vertx vertx) {
        return Redis.createClient(vertx, "redis://" + env("REDIS_HOST", "localhost") + ":" + env("REDIS_PORT", "6379"));
    }

    /**
     * Migrates the schema as the gateway does at start (same history table and baseline), once per JVM: a test
     * without a Quarkus boot may run first, or alone, on a database no gateway has migrated yet.
     */
    private static synchronized void migrate(PgConnectOptions db) {
        if (migrated) {
            return;
        }
        Flyway.configure()
                .dataSource("jdbc:postgresql://" + db.getHost() + ":" + db.getPort() + "/" + db.getDatabase(),
                        db.getUser(), db.getPassword())
                .table("gateway_schema_history").locations("classpath:db/migration")
                .baselineOnMigrate(true).baselineVersion("0")
                .load().migrate();
        migrated = true;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
